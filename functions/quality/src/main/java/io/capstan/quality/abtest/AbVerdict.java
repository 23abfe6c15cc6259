package io.capstan.quality.abtest;

/** What an A/B comparison concluded about the challenger. */
public enum AbVerdict {
    /** The difference is significant at alpha and in the metric's better direction. */
    CHALLENGER_BETTER,
    /** The difference is significant at alpha and in the metric's worse direction. */
    CHALLENGER_WORSE,
    /** Not significant, or an arm has no labelled rows yet. */
    NOT_YET_KNOWN
}
