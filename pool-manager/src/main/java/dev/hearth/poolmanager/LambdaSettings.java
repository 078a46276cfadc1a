package dev.hearth.poolmanager;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What Hearth tells a function about the Lambda world it imitates: the region in
 * {@code AWS_REGION} and the account id agents put in the function's ARN. Both are names only;
 * no AWS service is reached with them.
 *
 * @param region    e.g. {@code us-east-1}
 * @param accountId twelve digits, e.g. {@code 000000000000}
 */
public record LambdaSettings(String region, String accountId) {

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    /** The settings when none are given: Lambda's first region and an account id of zeros. */
    public static final LambdaSettings DEFAULT = new LambdaSettings("us-east-1", "000000000000");

    public LambdaSettings {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("the region must look like an AWS region such as us-east-1, got '" + region + "'");
        }
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("the account id must be 12 digits such as 000000000000, got '" + accountId + "'");
        }
    }
}
