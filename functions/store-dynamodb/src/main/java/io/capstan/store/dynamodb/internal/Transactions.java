package io.capstan.store.dynamodb.internal;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.storage.RandomSuffixes;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** Running optimistic transactions: why one was cancelled, and the back-off between retries. */
public final class Transactions {
    /** Optimistic writers retry this often before giving up with a retryable error. */
    public static final int MAX_ATTEMPTS = 200;

    private Transactions() {
    }

    /** Whether the action at {@code index} failed its condition. */
    public static boolean conditionFailed(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && index < reasons.size()
                && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** Whether any action failed for a reason other than its condition (throttling, a conflicting transaction). */
    public static boolean onlyConditionFailures(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        if (reasons == null) {
            return false;
        }
        return reasons.stream().allMatch(r -> "None".equals(r.code()) || "ConditionalCheckFailed".equals(r.code()));
    }

    /** Sleeps a short, growing, jittered time before the next optimistic attempt. */
    public static void backOff(int attempt) {
        long capMicros = Math.min(20_000, 200L << Math.min(attempt, 7));
        LockSupport.parkNanos(RandomSuffixes.between(50, capMicros) * 1000);
    }

    /**
     * Runs a transaction of optimistic writes; a single put, update or delete is sent as a plain conditional write,
     * as atomic and half the write units.
     *
     * @param tooLarge what to throw when DynamoDB refuses an item itself (in practice: over 400 KB)
     * @return false when a condition failed or another transaction conflicted: the caller re-reads and retries
     */
    public static boolean write(DynamoDbClient dynamoDb, List<TransactWriteItem> actions,
                                Function<DynamoDbException, CapstanException> tooLarge) {
        try {
            if (actions.size() == 1 && actions.get(0).conditionCheck() == null) {
                writeOne(dynamoDb, actions.get(0));
            } else {
                dynamoDb.transactWriteItems(b -> b.transactItems(actions));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons()
                    && e.cancellationReasons().stream().anyMatch(r -> "ValidationError".equals(r.code()))) {
                throw tooLarge.apply(e);
            }
            return false;
        } catch (TransactionConflictException e) {
            return false;
        } catch (DynamoDbException e) {
            if ("ValidationException".equals(e.awsErrorDetails().errorCode())) {
                throw tooLarge.apply(e);
            }
            throw e;
        }
    }

    private static void writeOne(DynamoDbClient dynamoDb, TransactWriteItem action) {
        if (action.put() != null) {
            Put put = action.put();
            dynamoDb.putItem(b -> b.tableName(put.tableName()).item(put.item())
                    .conditionExpression(put.conditionExpression())
                    .expressionAttributeNames(put.hasExpressionAttributeNames() ? put.expressionAttributeNames() : null)
                    .expressionAttributeValues(put.hasExpressionAttributeValues() ? put.expressionAttributeValues()
                            : null));
        } else if (action.update() != null) {
            Update update = action.update();
            dynamoDb.updateItem(b -> b.tableName(update.tableName()).key(update.key())
                    .updateExpression(update.updateExpression()).conditionExpression(update.conditionExpression())
                    .expressionAttributeNames(update.hasExpressionAttributeNames() ? update.expressionAttributeNames()
                            : null)
                    .expressionAttributeValues(update.hasExpressionAttributeValues()
                            ? update.expressionAttributeValues() : null));
        } else {
            Delete delete = action.delete();
            dynamoDb.deleteItem(b -> b.tableName(delete.tableName()).key(delete.key())
                    .conditionExpression(delete.conditionExpression())
                    .expressionAttributeNames(delete.hasExpressionAttributeNames() ? delete.expressionAttributeNames()
                            : null)
                    .expressionAttributeValues(delete.hasExpressionAttributeValues()
                            ? delete.expressionAttributeValues() : null));
        }
    }

    public static CapstanException tooMuchContention(String what) {
        return new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                "Too many concurrent writers on " + what + "; retry the request.");
    }
}
