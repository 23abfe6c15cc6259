/** The batch prediction API: start a job, list a model's jobs, read one job's progress and manifest. */
package io.capstan.batch.api;
