/** What quality checks read of the registry (policy, aliases) and the actions a decided A/B test takes there. */
package io.capstan.quality.serving;
