package io.secrettrail.web;

import java.util.Locale;
import java.util.Set;

/**
 * Refuses an access token that is short or simple, at start-up and saying why: the token is the
 * only thing between the network and every page. {@code openssl rand -hex 24} passes.
 */
final class TokenStrength {
    static final int MIN_LENGTH = 16;
    static final int MIN_DISTINCT = 7;
    /** A token of one character class (only digits, only lower-case letters...) must be at least this long. */
    static final int MIN_LENGTH_ONE_CLASS = 32;

    private static final Set<String> WORDS = Set.of(
            "password",
            "passwd",
            "secret",
            "secrets",
            "changeme",
            "admin",
            "letmein",
            "qwerty",
            "token",
            "secrettrail",
            "welcome",
            "default",
            "test",
            "example");
    private static final String KEYBOARD = "qwertyuiopasdfghjklzxcvbnm1234567890";

    private TokenStrength() {}

    /** Why the token is too weak, or null when it will do. */
    static String problem(String token) {
        if (token.length() < MIN_LENGTH) {
            return "must be at least " + MIN_LENGTH + " characters, was " + token.length();
        }
        long distinct = token.chars().distinct().count();
        if (distinct < MIN_DISTINCT) {
            return "must have at least " + MIN_DISTINCT + " different characters, has " + distinct
                    + " (use a random one: openssl rand -hex 24)";
        }
        int classes = (token.chars().anyMatch(Character::isDigit) ? 1 : 0)
                + (token.chars().anyMatch(Character::isLowerCase) ? 1 : 0)
                + (token.chars().anyMatch(Character::isUpperCase) ? 1 : 0)
                + (token.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0);
        if (classes == 1 && token.length() < MIN_LENGTH_ONE_CLASS) {
            return "is all one kind of character (only digits, only lower-case or upper-case letters, or only symbols);"
                    + " mix them or use at least " + MIN_LENGTH_ONE_CLASS + " characters (openssl rand -hex 24)";
        }
        String lower = token.toLowerCase(Locale.ROOT);
        String letters = lower.replaceAll("[^a-z]", "");
        if (!letters.isEmpty() && letters.matches("(" + String.join("|", WORDS) + ")+")) {
            return "is made of common words with digits or symbols (" + letters
                    + "); use a random one: openssl rand -hex 24";
        }
        int period = period(token);
        if (period > 0) {
            return "repeats the same " + period + " characters; use a random one: openssl rand -hex 24";
        }
        if (sequential(lower)) {
            return "is a run of consecutive or keyboard-row characters (like 1234... or abcd... or qwerty...); use a random one:"
                    + " openssl rand -hex 24";
        }
        return null;
    }

    /** The shortest block the token repeats (abcabcabc: 3), or 0 if it repeats none. */
    static int period(String s) {
        for (int p = 1; p <= s.length() / 2; p++) {
            boolean repeats = true;
            for (int i = p; i < s.length() && repeats; i++) {
                repeats = s.charAt(i) == s.charAt(i - p);
            }
            if (repeats) {
                return p;
            }
        }
        return 0;
    }

    /** Three quarters or more of the neighbours are alphabet or keyboard neighbours (or the same character). */
    static boolean sequential(String s) {
        int steps = 0;
        for (int i = 1; i < s.length(); i++) {
            char a = s.charAt(i - 1);
            char b = s.charAt(i);
            int ka = KEYBOARD.indexOf(a);
            int kb = KEYBOARD.indexOf(b);
            boolean near =
                    Math.abs(a - b) <= 1 || (a == '9' && b == '0') || (ka >= 0 && kb >= 0 && Math.abs(ka - kb) == 1);
            steps += near ? 1 : 0;
        }
        return steps * 4 >= (s.length() - 1) * 3;
    }
}
