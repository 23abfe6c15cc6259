/** Item layout helpers of the DynamoDB stores: key formats, packed metric points, transaction retries. */
package io.capstan.store.dynamodb.internal;
