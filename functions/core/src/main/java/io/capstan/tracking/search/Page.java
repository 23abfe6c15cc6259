package io.capstan.tracking.search;

import java.util.List;

/**
 * One page of search results.
 *
 * @param items         the results on this page, in order; never null
 * @param nextPageToken the opaque token that fetches the next page, or null on the last page
 * @param <T>           the result type
 */
public record Page<T>(List<T> items, String nextPageToken) {
    public Page {
        items = List.copyOf(items);
    }
}
