/**
 * MLflow's search language as plain Java, behaving as MLflow 2.12's {@code search_utils} and SQL store do: the
 * runs/search filter ({@link io.capstan.tracking.search.RunFilter}) and order_by
 * ({@link io.capstan.tracking.search.RunOrder}), the experiments/search filter and order_by
 * ({@link io.capstan.tracking.search.ExperimentFilter}, {@link io.capstan.tracking.search.ExperimentOrder}),
 * MLflow 3's logged-models/search filter and order_by ({@link io.capstan.tracking.search.LoggedModelFilter},
 * {@link io.capstan.tracking.search.LoggedModelOrder}), and opaque offset page tokens
 * ({@link io.capstan.tracking.search.PageToken}, {@link io.capstan.tracking.search.Page}). Stores load candidates,
 * filter, sort and page them here, so every back end answers a search the same way; every malformed filter,
 * order_by entry or token is a {@link io.capstan.error.CapstanException} with code INVALID_PARAMETER_VALUE whose
 * message names the bad part.
 */
package io.capstan.tracking.search;
