/** The join of prediction records and ground truth, in DuckDB in process over the bucket's JSON lines. */
package io.capstan.quality.engine;
