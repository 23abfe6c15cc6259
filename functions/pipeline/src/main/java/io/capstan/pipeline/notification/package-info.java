/** The pipeline's notifications sent by its tasks (approval requests), on Amazon SNS. */
package io.capstan.pipeline.notification;
