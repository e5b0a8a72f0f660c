package io.secrettrail.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Usage types are matched by their ending: us-east-1 has no region prefix, the other regions do. */
class UsageKindsTest {
    @Test
    void secret_storage_matches_with_and_without_a_region_prefix() {
        assertThat(UsageKinds.kindOf("secretsmanager", "AWSSecretsManager-Secrets"))
                .contains("secrets");
        assertThat(UsageKinds.kindOf("secretsmanager", "USE2-AWSSecretsManager-Secrets"))
                .contains("secrets");
        assertThat(UsageKinds.kindOf("secretsmanager", "APS1-AWSSecretsManager-Secret"))
                .contains("secrets");
    }

    @Test
    void api_requests_match_in_both_spellings() {
        assertThat(UsageKinds.kindOf("secretsmanager", "AWSSecretsManagerAPIRequest"))
                .contains("api-requests");
        assertThat(UsageKinds.kindOf("secretsmanager", "EU-AWSSecretsManager-APIRequests"))
                .contains("api-requests");
    }

    @Test
    void kms_requests_and_keys_match_with_a_region_code_prefix() {
        assertThat(UsageKinds.kindOf("kms", "KMS-Requests")).contains("kms-requests");
        assertThat(UsageKinds.kindOf("kms", "us-west-2-KMS-Requests")).contains("kms-requests");
        assertThat(UsageKinds.kindOf("kms", "Global-KMS-Requests")).contains("kms-requests");
        assertThat(UsageKinds.kindOf("kms", "eu-west-1-KMS-Keys")).contains("kms-keys");
    }

    @Test
    void an_ending_inside_a_longer_word_or_of_another_service_or_variant_is_no_match() {
        assertThat(UsageKinds.kindOf("kms", "USE1-XKMS-Requests")).isEmpty();
        assertThat(UsageKinds.kindOf("kms", "us-east-1-KMS-Requests-Asymmetric"))
                .isEmpty();
        assertThat(UsageKinds.kindOf("secretsmanager", "KMS-Requests")).isEmpty();
        assertThat(UsageKinds.kindOf("secretsmanager", null)).isEmpty();
    }

    @Test
    void services_are_told_by_product_code_and_by_cost_explorer_name() {
        assertThat(UsageKinds.serviceOfProductCode("AWSSecretsManager")).contains("secretsmanager");
        assertThat(UsageKinds.serviceOfProductCode("awskms")).contains("kms");
        assertThat(UsageKinds.serviceOfProductCode("AmazonS3")).isEmpty();
        assertThat(UsageKinds.serviceOfName("AWS Key Management Service")).contains("kms");
        assertThat(UsageKinds.serviceOfName("Amazon Simple Storage Service")).isEmpty();
    }
}
