package io.capstan.quality;

/** What kind of model a quality report measures: it decides which metrics a version carries. */
public enum Task {
    CLASSIFICATION,
    REGRESSION
}
