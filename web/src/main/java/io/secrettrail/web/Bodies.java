package io.secrettrail.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.secrettrail.analytics.dashboard.Access;
import io.secrettrail.analytics.dashboard.Status;
import io.secrettrail.analytics.rules.Parameter;
import io.secrettrail.analytics.rules.Rule;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** The JSON bodies the servers answer with, beside the dashboard's own records. Field order is the JSON's. */
final class Bodies {
    private Bodies() {}

    /** Every failure: {@code {"error": {"status", "code", "message"}}}. */
    record ErrorBody(Error error) {
        ErrorBody(int status, String code, String message) {
            this(new Error(status, code, message));
        }
    }

    record Error(int status, String code, String message) {}

    /** {@code /api/v1/status}: the dashboard's status and the process's sources. */
    record StatusBody(@JsonUnwrapped Status status, List<ProcessProbe.SourceState> sources) {}

    /** {@code /api/v1/principal}: the secrets it touched and its least-privilege policy. */
    record PrincipalBody(String principal, List<Access> secrets, JsonNode policy, String policyGrouping) {}

    /** An alert action taken. */
    record Recorded(String status) {
        static final Recorded RECORDED = new Recorded("recorded");
    }

    /** {@code /api/v1/rules}: a rule with its parameters. */
    record RuleBody(
            String id,
            String title,
            String severity,
            String description,
            String runbook,
            String reference,
            List<ParameterBody> parameters) {
        static RuleBody of(Rule r) {
            return new RuleBody(
                    r.id(),
                    r.title(),
                    r.severity(),
                    r.description(),
                    r.runbook(),
                    r.reference(),
                    r.parameters().stream().map(ParameterBody::of).toList());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ParameterBody(
            String name,
            String type,
            @JsonProperty("default") Object defaultValue,
            BigDecimal min,
            BigDecimal max,
            List<String> allowed,
            String description) {
        static ParameterBody of(Parameter p) {
            return new ParameterBody(
                    p.name(), p.type(), p.defaultValue(), p.min(), p.max(), p.allowed(), p.description());
        }
    }

    /** Both servers' health answer: {@code status}, and for readiness the {@code checks} by name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HealthBody(String status, Map<String, Boolean> checks) {}
}
