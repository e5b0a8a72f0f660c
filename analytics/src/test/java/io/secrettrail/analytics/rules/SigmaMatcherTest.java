package io.secrettrail.analytics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** The test evaluator judges the Sigma subset the export emits as Sigma defines it, and refuses the rest. */
class SigmaMatcherTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final String RECORD = """
            {"eventSource":"secretsmanager.amazonaws.com","eventName":"BatchGetSecretValue","errorCode":null,
             "requestParameters":{"filters":[{"key":"tag-key","values":["team"]},{"key":"name","values":["prod/a","!x"]}]}}""";

    static boolean matches(String detection) throws Exception {
        return new SigmaMatcher(YAML.readTree(detection)).matches(YAML.readTree(RECORD));
    }

    @Test
    void strings_compare_whole_and_ignoring_case_a_list_is_any_of_its_values() throws Exception {
        assertThat(matches("s: {eventName: batchgetsecretvalue}\ncondition: s")).isTrue();
        assertThat(matches("s: {eventName: BatchGetSecret}\ncondition: s")).isFalse();
        assertThat(matches("s: {eventName: [GetSecretValue, BatchGetSecretValue]}\ncondition: s"))
                .isTrue();
        assertThat(matches("s: {eventName: [GetSecretValue, ListSecrets]}\ncondition: s"))
                .isFalse();
    }

    @Test
    void fields_of_one_selection_all_hold_a_list_of_selections_any() throws Exception {
        assertThat(matches("s: {eventName: BatchGetSecretValue, eventSource: kms.amazonaws.com}\ncondition: s"))
                .isFalse();
        assertThat(matches("s: [{eventSource: kms.amazonaws.com}, {eventName: BatchGetSecretValue}]\ncondition: s"))
                .isTrue();
    }

    @Test
    void modifiers_reach_through_arrays_of_nested_objects() throws Exception {
        assertThat(matches("s: {requestParameters.filters.values|startswith: '!'}\ncondition: s"))
                .isTrue();
        assertThat(matches("s: {requestParameters.filters.values|endswith: /A}\ncondition: s"))
                .isTrue();
        assertThat(matches("s: {requestParameters.filters.values|contains: EA}\ncondition: s"))
                .isTrue();
        assertThat(matches("s: {requestParameters.filters.key|startswith: '!'}\ncondition: s"))
                .isFalse();
        assertThat(matches("s: {requestParameters.secretId|contains: a}\ncondition: s"))
                .isFalse();
    }

    @Test
    void null_means_absent_or_null() throws Exception {
        assertThat(matches("s: {errorCode: null}\ncondition: s")).isTrue();
        assertThat(matches("s: {errorMessage: null}\ncondition: s")).isTrue();
        assertThat(matches("s: {eventName: null}\ncondition: s")).isFalse();
    }

    @Test
    void conditions_combine_with_not_before_and_before_or_and_by_pattern() throws Exception {
        String sel = "a: {eventName: BatchGetSecretValue}\nb: {eventSource: kms.amazonaws.com}\n";
        assertThat(matches(sel + "condition: a and not b")).isTrue();
        assertThat(matches(sel + "condition: not a or b")).isFalse();
        assertThat(matches(sel + "condition: b or a and not b")).isTrue();
        assertThat(matches(sel + "condition: not (a or b)")).isFalse();
        String sels = "sel_a: {eventName: BatchGetSecretValue}\nsel_b: {eventSource: kms.amazonaws.com}\n";
        assertThat(matches(sels + "condition: 1 of sel_*")).isTrue();
        assertThat(matches(sels + "condition: all of sel_*")).isFalse();
    }

    @Test
    void what_it_does_not_know_it_refuses() throws Exception {
        JsonNode r = YAML.readTree(RECORD);
        assertThatThrownBy(() -> new SigmaMatcher(YAML.readTree("s: {eventName: Batch*}\ncondition: s")).matches(r))
                .hasMessageContaining("wildcards");
        assertThatThrownBy(() -> new SigmaMatcher(YAML.readTree("s: {eventName|re: B.*}\ncondition: s")).matches(r))
                .hasMessageContaining("modifier");
        assertThatThrownBy(() -> new SigmaMatcher(YAML.readTree("s: {eventName: X}\ncondition: t")).matches(r))
                .hasMessageContaining("no selection t");
    }
}
