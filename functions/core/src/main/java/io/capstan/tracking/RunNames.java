package io.capstan.tracking;

import java.util.List;
import java.util.random.RandomGenerator;

/** Names for runs created without one, in MLflow's {@code adjective-noun-number} style. */
final class RunNames {
    private static final List<String> ADJECTIVES = List.of("amazing", "bold", "brave", "calm", "clever", "crisp",
            "dapper", "eager", "fearless", "gentle", "glamorous", "honest", "keen", "lively", "loud", "merciful",
            "nimble", "polite", "quick", "resilient", "rogue", "sassy", "shiny", "silent", "sincere", "smiling",
            "stately", "sunny", "tasteful", "thoughtful", "trusting", "unequaled", "upbeat", "valuable", "wise");
    private static final List<String> NOUNS = List.of("ant", "bass", "bat", "bear", "bird", "carp", "cat", "colt",
            "crab", "crane", "deer", "doe", "dove", "eel", "elk", "finch", "fish", "fox", "frog", "gnat", "goat",
            "hare", "hawk", "hen", "jay", "lark", "lynx", "mole", "moth", "newt", "owl", "ram", "seal", "shrew",
            "sow", "stag", "swan", "toad", "trout", "wasp", "whale", "wolf", "worm", "wren", "yak");

    private RunNames() {
    }

    static String random(RandomGenerator random) {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size()))
                + "-" + random.nextInt(1000);
    }
}
