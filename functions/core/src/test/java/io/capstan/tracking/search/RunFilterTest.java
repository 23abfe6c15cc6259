package io.capstan.tracking.search;

import io.capstan.tracking.Run;
import io.capstan.tracking.RunStatus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.capstan.tracking.search.RunFixtures.run;
import static io.capstan.tracking.search.SearchAssertions.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;

class RunFilterTest {

    private static List<String> matching(String filter, Run... runs) {
        RunFilter parsed = RunFilter.parse(filter);
        return List.of(runs).stream().filter(parsed).map(r -> r.info().runId()).toList();
    }

    @Nested
    class Grammar {

        @ParameterizedTest
        @ValueSource(strings = {"", "   "})
        void parse_blankFilter_matchesEveryRun(String filter) {
            Run bare = run("a").build();

            boolean matches = RunFilter.parse(filter).test(bare);

            assertThat(matches).isTrue();
        }

        @Test
        void parse_nullFilter_matchesEveryRun() {
            Run bare = run("a").build();

            boolean matches = RunFilter.parse(null).test(bare);

            assertThat(matches).isTrue();
        }

        @Test
        void parse_clausesJoinedByAnd_requireEveryClause() {
            Run both = run("a").metric("acc", 0.9).param("model", "lr").build();
            Run metricOnly = run("b").metric("acc", 0.9).param("model", "rf").build();
            Run paramOnly = run("c").metric("acc", 0.1).param("model", "lr").build();

            List<String> ids = matching("metrics.acc > 0.5 AND params.model = 'lr'", both, metricOnly, paramOnly);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_keywordsInAnyCase_areAccepted() {
            Run target = run("a").metric("acc", 0.9).param("model", "LogReg").build();

            List<String> ids = matching("metrics.acc > 0.5 and params.model like 'Log%' AnD params.model "
                    + "ilike 'logreg' and attributes.run_id in ('a') and run_id not in ('b')", target);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_noSpacesAroundComparators_isAccepted() {
            Run target = run("a").metric("acc", 0.9).param("model", "lr").build();

            List<String> ids = matching("metrics.acc>=0.9 AND params.model='lr'", target);

            assertThat(ids).containsExactly("a");
        }
    }

    @Nested
    class Metrics {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "=  | b",
                "!= | a,c",
                ">  | c",
                ">= | b,c",
                "<  | a",
                "<= | a,b"})
        void parse_metricComparator_comparesCurrentValueNumerically(String comparator, String expected) {
            Run low = run("a").metric("rmse", 0.4).build();
            Run equal = run("b").metric("rmse", 0.5).build();
            Run high = run("c").metric("rmse", 0.6).build();

            List<String> ids = matching("metrics.rmse " + comparator + " 0.5", low, equal, high);

            assertThat(ids).containsExactly(expected.split(","));
        }

        @Test
        void parse_singularMetricPrefix_matchesRun() {
            Run target = run("a").metric("rmse", 1.0).build();

            List<String> ids = matching("metric.rmse = 1", target);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_backtickedMetricName_matchesRun() {
            Run target = run("a").metric("my.metric", 2.0).build();
            Run other = run("b").metric("my", 2.0).build();

            List<String> ids = matching("metrics.`my.metric` = 2", target, other);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_doubleQuotedMetricNameWithSpace_matchesRun() {
            Run target = run("a").metric("error rate", 0.1).build();

            List<String> ids = matching("metrics.\"error rate\" < 0.2", target);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_negativeAndScientificNumbers_compareNumerically() {
            Run small = run("a").metric("loss", -0.01).build();
            Run large = run("b").metric("loss", 0.5).build();

            List<String> ids = matching("metrics.loss > -1.5e-2 AND metrics.loss < .1", small, large);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_integerLiteral_equalsDecimalValue() {
            Run target = run("a").metric("epochs", 3.0).build();

            List<String> ids = matching("metrics.epochs = 3", target);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_runWithoutMetric_doesNotMatchEvenNotEquals() {
            Run without = run("a").metric("other", 1.0).build();

            List<String> ids = matching("metrics.rmse != 5", without);

            assertThat(ids).isEmpty();
        }

        @Test
        void parse_nanMetric_comparesAsStoredZero() {
            Run nan = run("a").metric("m", Double.NaN).build();

            List<String> equalZero = matching("metrics.m = 0", nan);
            List<String> equalOne = matching("metrics.m = 1", nan);
            List<String> belowOne = matching("metrics.m < 1", nan);
            List<String> aboveZero = matching("metrics.m > 0", nan);

            assertThat(equalZero).containsExactly("a");
            assertThat(equalOne).isEmpty();
            assertThat(belowOne).containsExactly("a");
            assertThat(aboveZero).isEmpty();
        }

        @Test
        void parse_infiniteMetrics_compareAsLargestFiniteDoubles() {
            Run positive = run("a").metric("m", Double.POSITIVE_INFINITY).build();
            Run negative = run("b").metric("m", Double.NEGATIVE_INFINITY).build();

            List<String> above = matching("metrics.m > 1e308", positive, negative);
            List<String> below = matching("metrics.m < -1e308", positive, negative);

            assertThat(above).containsExactly("a");
            assertThat(below).containsExactly("b");
        }
    }

    @Nested
    class ParamsAndTags {

        @ParameterizedTest
        @ValueSource(strings = {"params.lr = '0.01'", "params.lr = \"0.01\"", "param.lr = '0.01'",
                "parameter.lr = '0.01'", "parameters.lr = '0.01'"})
        void parse_paramPrefixesAndQuotes_matchRun(String filter) {
            Run target = run("a").param("lr", "0.01").build();
            Run other = run("b").param("lr", "0.1").build();

            List<String> ids = matching(filter, target, other);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_paramNotEquals_matchesOtherValuesOnly() {
            Run same = run("a").param("model", "lr").build();
            Run different = run("b").param("model", "rf").build();
            Run missing = run("c").build();

            List<String> ids = matching("params.model != 'lr'", same, different, missing);

            assertThat(ids).containsExactly("b");
        }

        @Test
        void parse_paramComparedWithNumberText_comparesAsString() {
            Run target = run("a").param("depth", "10").build();

            List<String> exact = matching("params.depth = '10'", target);
            List<String> padded = matching("params.depth = '10.0'", target);

            assertThat(exact).containsExactly("a");
            assertThat(padded).isEmpty();
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "Log%   | a,b",
                "%Reg   | a",
                "%og%   | a,b",
                "LogRe_ | a",
                "L_g%   | a,b",
                "LogReg | a",
                "logreg | ",
                "%      | a,b,c",
                "Lo     | "})
        void parse_paramLike_usesPercentAndUnderscoreCaseSensitively(String pattern, String expected) {
            Run logReg = run("a").param("model", "LogReg").build();
            Run logit = run("b").param("model", "Logit").build();
            Run forest = run("c").param("model", "forest").build();

            List<String> ids = matching("params.model LIKE '" + pattern + "'", logReg, logit, forest);

            assertThat(ids).containsExactlyElementsOf(expected == null ? List.of() : List.of(expected.split(",")));
        }

        @Test
        void parse_ilike_ignoresCase() {
            Run upper = run("a").tag("team", "VISION").build();
            Run lower = run("b").tag("team", "vision-lab").build();
            Run other = run("c").tag("team", "nlp").build();

            List<String> ids = matching("tags.team ILIKE 'vis%'", upper, lower, other);

            assertThat(ids).containsExactly("a", "b");
        }

        @Test
        void parse_likeWithRegexCharacters_treatsThemLiterally() {
            Run literal = run("a").param("path", "a.b(c)").build();
            Run lookalike = run("b").param("path", "axb(c)").build();

            List<String> ids = matching("params.path LIKE 'a.b(%'", literal, lookalike);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_runWithoutParamOrTag_doesNotMatch() {
            Run bare = run("a").build();

            List<String> params = matching("params.model LIKE '%'", bare);
            List<String> tags = matching("tags.team != 'x'", bare);

            assertThat(params).isEmpty();
            assertThat(tags).isEmpty();
        }

        @Test
        void parse_backtickedTagWithDots_matchesRun() {
            Run target = run("a").tag("mlflow.source.name", "train.py").build();

            List<String> ids = matching("tags.`mlflow.source.name` = 'train.py'", target);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_unquotedDottedTagKey_keepsEverythingAfterFirstDot() {
            Run target = run("a").tag("mlflow.runName", "best").build();

            List<String> ids = matching("tags.mlflow.runName = 'best'", target);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_singularTagPrefixWithSpacedName_matchesRun() {
            Run target = run("a").tag("a b", "x").build();

            List<String> ids = matching("tag.`a b` = 'x'", target);

            assertThat(ids).containsExactly("a");
        }

        @Test
        void parse_valueQuotedWithOneQuoteKind_mayContainTheOther() {
            Run apostrophe = run("a").tag("note", "it's").build();
            Run quoted = run("b").tag("note", "say \"hi\"").build();

            List<String> doubleQuoted = matching("tags.note = \"it's\"", apostrophe, quoted);
            List<String> singleQuoted = matching("tags.note = 'say \"hi\"'", apostrophe, quoted);

            assertThat(doubleQuoted).containsExactly("a");
            assertThat(singleQuoted).containsExactly("b");
        }
    }

    @Nested
    class Attributes {

        @ParameterizedTest
        @ValueSource(strings = {"attributes.status = 'FAILED'", "attribute.status = 'FAILED'",
                "attr.status = 'FAILED'", "run.status = 'FAILED'", "status = 'FAILED'", "`attributes`.status = 'FAILED'"})
        void parse_attributePrefixes_allNameTheRunAttribute(String filter) {
            Run failed = run("a").status(RunStatus.FAILED).build();
            Run finished = run("b").status(RunStatus.FINISHED).build();

            List<String> ids = matching(filter, failed, finished);

            assertThat(ids).containsExactly("a");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "attributes.run_id = 'a1'                                | a1",
                "attributes.run_name = 'best-run'                        | a1",
                "attributes.`Run name` = 'best-run'                      | a1",
                "attributes.\"run name\" ILIKE 'BEST%'                   | a1",
                "attributes.user_id = 'bob'                              | b2",
                "attributes.user_id != 'bob'                             | a1",
                "attributes.artifact_uri LIKE 'mlflow-artifacts:/1/b2/%' | b2",
                "attributes.status ILIKE 'run%'                          | b2"})
        void parse_stringAttribute_readsRunInfo(String filter, String expected) {
            Run first = run("a1").name("best-run").user("alice").status(RunStatus.FINISHED).build();
            Run second = run("b2").name("other").user("bob").status(RunStatus.RUNNING).build();

            List<String> ids = matching(filter, first, second);

            assertThat(ids).containsExactly(expected);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "attributes.start_time >= 2000  | b,c",
                "start_time < 2000              | a",
                "attributes.created = 3000      | c",
                "attributes.Created != 3000     | a,b",
                "attributes.end_time <= 5000    | a,b",
                "attributes.end_time > 1000.5   | a,b"})
        void parse_numericAttribute_comparesEpochMillis(String filter, String expected) {
            Run early = run("a").startTime(1_000L).endTime(1_500L).build();
            Run middle = run("b").startTime(2_000L).endTime(4_000L).build();
            Run running = run("c").startTime(3_000L).endTime(null).status(RunStatus.RUNNING).build();

            List<String> ids = matching(filter, early, middle, running);

            assertThat(ids).containsExactly(expected.split(","));
        }

        @Test
        void parse_endTimeOfRunningRun_neverMatches() {
            Run running = run("a").endTime(null).build();

            List<String> ids = matching("attributes.end_time != 0", running);

            assertThat(ids).isEmpty();
        }

        @Test
        void parse_runIdIn_matchesListedRuns() {
            Run first = run("aa").build();
            Run second = run("bb").build();
            Run third = run("cc").build();

            List<String> ids = matching("attributes.run_id IN ('aa', 'cc','zz')", first, second, third);

            assertThat(ids).containsExactly("aa", "cc");
        }

        @Test
        void parse_runIdNotIn_matchesUnlistedRuns() {
            Run first = run("aa").build();
            Run second = run("bb").build();

            List<String> ids = matching("run_id NOT IN ('aa')", first, second);

            assertThat(ids).containsExactly("bb");
        }
    }

    @Nested
    class Datasets {

        private final Run trained = run("a").dataset("iris", "d1", "training").dataset("wine", "d2", "eval").build();
        private final Run noContext = run("b").dataset("iris", "d3", null).build();
        private final Run noInputs = run("c").build();

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "datasets.name = 'iris'                | a,b",
                "dataset.name = 'wine'                 | a",
                "datasets.digest = 'd3'                | b",
                "datasets.context = 'training'         | a",
                "datasets.context != 'training'        | a",
                "datasets.name != 'iris'               | a",
                "datasets.name LIKE 'i%'               | a,b",
                "datasets.context ILIKE 'EV%'          | a",
                "datasets.name IN ('wine', 'x')        | a",
                "datasets.digest NOT IN ('d1', 'd2')   | b",
                "datasets.context IN ('eval')          | a"})
        void parse_datasetClause_matchesAnyLoggedInput(String filter, String expected) {
            List<String> ids = matching(filter, trained, noContext, noInputs);

            assertThat(ids).containsExactly(expected.split(","));
        }

        @Test
        void parse_datasetContext_skipsInputsWithoutContextTag() {
            List<String> ids = matching("datasets.context LIKE '%'", trained, noContext, noInputs);

            assertThat(ids).containsExactly("a");
        }
    }

    @Nested
    class Errors {

        @Test
        void parse_unknownEntityType_isInvalidParameterNamingIt() {
            assertInvalidParameter(() -> RunFilter.parse("metricz.rmse > 1"), "Invalid entity type 'metricz'");
        }

        @Test
        void parse_unknownAttribute_isInvalidParameterListingValidKeys() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.foo = 'x'"),
                    "Invalid attribute key 'foo' specified", "run_id", "start_time");
        }

        @Test
        void parse_lifecycleStage_isNotSearchableAsInMlflow() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.lifecycle_stage = 'active'"),
                    "Invalid attribute key 'lifecycle_stage'");
        }

        @Test
        void parse_unknownDatasetKey_isInvalidParameterNamingIt() {
            assertInvalidParameter(() -> RunFilter.parse("datasets.source = 'x'"), "Invalid dataset key 'source'");
        }

        @Test
        void parse_metricComparedWithString_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.rmse > '0.5'"),
                    "Expected numeric value type for metric 'rmse'", "'0.5'");
        }

        @Test
        void parse_metricWithLike_isInvalidComparator() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.rmse LIKE 5"),
                    "Invalid comparator 'LIKE' for metric 'rmse'");
        }

        @Test
        void parse_paramComparedWithNumber_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("params.lr = 0.1"),
                    "Expected a quoted string value for parameter 'lr'", "0.1");
        }

        @Test
        void parse_paramComparedWithBareWord_asksForQuotes() {
            assertInvalidParameter(() -> RunFilter.parse("params.model = lr"),
                    "not quoted", "string value lr", "single or double quotes");
        }

        @Test
        void parse_tagWithGreaterThan_isInvalidComparator() {
            assertInvalidParameter(() -> RunFilter.parse("tags.team > 'a'"), "Invalid comparator '>' for tag 'team'");
        }

        @Test
        void parse_unknownComparator_isInvalidComparator() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.rmse == 1"), "Invalid comparator '=='");
        }

        @Test
        void parse_numericAttributeComparedWithString_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.start_time > 'yesterday'"),
                    "Expected numeric value type for numeric attribute: start_time", "'yesterday'");
        }

        @Test
        void parse_numericAttributeWithLike_isInvalidComparator() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.end_time LIKE 5"),
                    "Invalid comparator 'LIKE' for attribute 'end_time'");
        }

        @Test
        void parse_stringAttributeComparedWithNumber_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.status = 1"),
                    "Expected a quoted string value for attribute 'status'");
        }

        @Test
        void parse_stringAttributeWithGreaterThan_isInvalidComparator() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.user_id > 'a'"),
                    "Invalid comparator '>' for attribute 'user_id'");
        }

        @Test
        void parse_listForAttributeOtherThanRunId_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.status IN ('FAILED')"),
                    "Only the 'run_id' attribute supports comparison with a list", "attributes.status");
        }

        @Test
        void parse_listForParam_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("params.lr IN ('0.1')"),
                    "Expected a quoted string value for parameter 'lr'", "('0.1')");
        }

        @Test
        void parse_inWithoutList_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.run_id IN 'a'"),
                    "attributes.run_id IN 'a'", "IN takes a parenthesised list");
        }

        @Test
        void parse_listWithEquals_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.run_id = ('a', 'b')"),
                    "needs IN or NOT IN, not '='");
        }

        @Test
        void parse_emptyList_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.run_id IN ()"), "got empty list", "()");
        }

        @Test
        void parse_listWithTrailingComma_isIllFormed() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.run_id IN ('a',)"), "ill-formed list", "('a',)");
        }

        @Test
        void parse_listWithDoubleQuotedItem_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.run_id IN (\"a\")"),
                    "expected single-quoted string values", "\"a\"");
        }

        @Test
        void parse_unclosedList_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("attributes.run_id IN ('a'"), "unclosed '('");
        }

        @ParameterizedTest
        @ValueSource(strings = {"params.model = 'lr", "params.model = \"lr", "params.`model = 'lr'"})
        void parse_unbalancedQuote_isInvalidParameter(String filter) {
            assertInvalidParameter(() -> RunFilter.parse(filter), "unbalanced quote");
        }

        @Test
        void parse_trailingGarbage_isInvalidClauseNamingIt() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.rmse > 1 foo"),
                    "Invalid clause(s) in filter string: 'foo'");
        }

        @Test
        void parse_or_isInvalidClause() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.a > 1 OR metrics.b > 1"),
                    "Invalid clause(s) in filter string: 'OR'");
        }

        @Test
        void parse_danglingAnd_isInvalidClause() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.a > 1 AND"), "'AND'", "a comparison after AND");
        }

        @Test
        void parse_leadingAnd_isInvalidClause() {
            assertInvalidParameter(() -> RunFilter.parse("AND metrics.a > 1"), "'AND' at position 0");
        }

        @Test
        void parse_missingValue_isInvalidComparison() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.a >"), "'metrics.a >'", "expected a value");
        }

        @Test
        void parse_missingComparator_isInvalidComparison() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.a"), "'metrics.a'", "expected a comparator");
        }

        @Test
        void parse_isNull_isNotPartOfMlflowGrammar() {
            assertInvalidParameter(() -> RunFilter.parse("tags.team IS NULL"), "'IS'", "after 'tags.team'");
        }

        @Test
        void parse_notWithoutIn_isInvalidClause() {
            assertInvalidParameter(() -> RunFilter.parse("params.a NOT LIKE 'x'"), "'LIKE'", "IN after NOT");
        }

        @Test
        void parse_valueBeforeIdentifier_isInvalidClause() {
            assertInvalidParameter(() -> RunFilter.parse("1 < metrics.a"), "'1' at position 0", "an identifier");
        }

        @Test
        void parse_unquotedSpecialCharacterInName_suggestsQuoting() {
            assertInvalidParameter(() -> RunFilter.parse("params.model-type = 'x'"), "unexpected '-' at position 12",
                    "params.`model-type`");
        }

        @Test
        void parse_identifierEndingInDot_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("metrics. > 1"), "'metrics.'", "needs a name after '.'");
        }

        @Test
        void parse_numberRunningIntoLetters_isInvalidParameter() {
            assertInvalidParameter(() -> RunFilter.parse("metrics.a > 1abc"), "unexpected 'a' at position 13");
        }
    }

    @Nested
    class Index {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "''                                                   | AllRuns[]",
                "params.lr = '0.1'                                    | WithParam[key=lr, value=0.1]",
                "metrics.acc > 0.5 and tags.team = 'x'                | WithTag[key=team, value=x]",
                "attributes.status = 'FAILED'                         | WithStatus[status=FAILED]",
                "status = 'FAILED' and params.lr = '0.1'              | Every[indexes=[WithParam[key=lr, value=0.1], WithStatus[status=FAILED]]]",
                "tags.a = 'x' and params.b = 'y' and tags.a = 'x'     | Every[indexes=[WithTag[key=a, value=x], WithParam[key=b, value=y]]]",
                "tags.`mlflow.user` = 'ana'                           | WithTag[key=mlflow.user, value=ana]",
                "attributes.run_name = 'r1'                           | WithRunName[name=r1]",
                "run_name LIKE 'r%'                                   | AllRuns[]",
                "params.lr != '0.1'                                   | AllRuns[]",
                "params.lr LIKE '0.%'                                 | AllRuns[]",
                "status = 'NOT_A_STATUS'                              | AllRuns[]"})
        void index_filter_isTheMostSelectiveEqualityItNames(String filter, String index) {
            assertThat(RunFilter.parse(filter).index().toString()).isEqualTo(index);
        }
    }
}
