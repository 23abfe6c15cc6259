package io.capstan.store.dynamodb.internal;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Reading why a transaction was cancelled, and the back-off between optimistic retries. */
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
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50, capMicros) * 1000);
    }

    public static CapstanException tooMuchContention(String what) {
        return new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                "Too many concurrent writers on " + what + "; retry the request.");
    }
}
