package io.capstan.quality.engine;

/**
 * Joins a window's prediction records with the ground truth sent for them, by the rules {@link JoinSql} states. Two
 * engines run the same SQL: {@link DuckDbJoin} in process over the downloaded objects, {@link AthenaJoin} over the
 * bucket itself; {@link JoinEngineChoice} picks one by the window's size.
 */
public interface JoinEngine {

    /**
     * @throws IllegalStateException when the engine cannot read the records or fails (named in the message)
     */
    Joined join(JoinWindow window);
}
