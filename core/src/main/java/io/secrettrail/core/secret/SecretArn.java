package io.secrettrail.core.secret;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Secrets Manager ARN, full ({@code ...:secret:prod/db-AbC123}) or partial (no 6-character
 * suffix). Whether an ARN is full cannot be told from its text alone when the name itself ends in
 * a dash and six letters, so {@link SecretResolver} asks the inventory first and this shape last.
 */
public record SecretArn(String partition, String region, String account, String resource) {
    private static final Pattern ARN = Pattern.compile(
            "^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):secretsmanager:([a-z0-9-]+):(\\d{12}):secret:(.+)$",
            Pattern.DOTALL);
    // DOTALL: a name from an event may hold a line break; it is still that name, in that account
    private static final Pattern SUFFIX = Pattern.compile(".+-[A-Za-z0-9]{6}$", Pattern.DOTALL);

    public static Optional<SecretArn> parse(String text) {
        Matcher m = ARN.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SecretArn(m.group(1), m.group(2), m.group(3), m.group(4)));
    }

    /** The ARN for a name with no suffix: the stable key of a secret that cannot be resolved. */
    public static String partial(String region, String account, String name) {
        return "arn:" + partitionOf(region) + ":secretsmanager:" + region + ":" + account + ":secret:" + name;
    }

    /** The secret's name when this is a full ARN (the resource less its {@code -XXXXXX} suffix). */
    public static String nameOfFull(String fullArn) {
        SecretArn a = parse(fullArn).orElseThrow(() -> new IllegalArgumentException("not a secret ARN: " + fullArn));
        return a.resource().substring(0, a.resource().length() - 7);
    }

    public boolean hasSuffixShape() {
        return SUFFIX.matcher(resource).matches();
    }

    public String text() {
        return "arn:" + partition + ":secretsmanager:" + region + ":" + account + ":secret:" + resource;
    }

    static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }
}
