package io.secrettrail.analytics.report;

import io.secrettrail.analytics.access.AccessEntry;
import io.secrettrail.analytics.cost.CostReport;
import io.secrettrail.analytics.rules.Finding;
import io.secrettrail.analytics.snapshot.SecretOwners;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The report, schema v1 (documented in the README; a FinOps pipeline parses these names). Later
 * sections ({@code alerts}, {@code cost}) extend it; the v1 fields never change meaning.
 */
public record Report(
        int schemaVersion,
        Instant asOf,
        IngestCounts ingest,
        List<SecretSummary> secrets,
        long unattributedCalls,
        List<Finding> alerts,
        CostReport cost,
        List<AccessEntry> access,
        List<UnknownNames> unknownNames,
        Map<String, SecretOwners.Owner> owners,
        List<Team> teams) {

    public static final int SCHEMA_VERSION = 1;

    /** A report without ownership (no {@code team} on secrets and alerts, no {@code teams} section). */
    public Report(
            int schemaVersion,
            Instant asOf,
            IngestCounts ingest,
            List<SecretSummary> secrets,
            long unattributedCalls,
            List<Finding> alerts,
            CostReport cost,
            List<AccessEntry> access,
            List<UnknownNames> unknownNames) {
        this(schemaVersion, asOf, ingest, secrets, unattributedCalls, alerts, cost, access, unknownNames, null, null);
    }

    /**
     * One team's row of the {@code teams} section (issue 17).
     *
     * @param secrets its secrets, but those an inventory shows do not exist
     * @param costThisMonthUsd its secrets' cost in asOf's month to date (Secrets Manager and KMS, exact)
     * @param costLastMonthUsd the same for the month before (0 when the data does not reach it)
     * @param openIncidents open incidents of detections on its secrets
     * @param postureFailures posture rules' alarms on its secrets
     * @param savingsUsd monthly savings recommended on its secrets (information-only ones left out)
     */
    public record Team(
            String team,
            long secrets,
            java.math.BigDecimal costThisMonthUsd,
            java.math.BigDecimal costLastMonthUsd,
            long openIncidents,
            long postureFailures,
            java.math.BigDecimal savingsUsd) {}

    /** The team of a secret (of a finding's resource), or null when the resource is no secret of the report. */
    public String teamOf(String arn) {
        SecretOwners.Owner o = owners == null ? null : owners.get(arn);
        return o == null ? null : o.team();
    }

    /** The owner tag's value of a secret, or null. */
    public String ownerOf(String arn) {
        SecretOwners.Owner o = owners == null ? null : owners.get(arn);
        return o == null ? null : o.owner();
    }

    /** An arn's team is among {@code keep} (an alert about a principal has no team, and is no one team's). */
    private java.util.function.Predicate<String> teamsOnly(java.util.Set<String> keep) {
        return arn -> {
            String team = teamOf(arn);
            return team != null && keep.contains(team);
        };
    }

    /**
     * This report restricted to the secrets of the teams {@code keep} names ({@code unowned} among them): its secrets,
     * the alerts on them, their access entries and the teams' rows, with {@code teamCost} for its cost section: those
     * secrets' own cost computation (totals, attributions and months theirs, see
     * {@link io.secrettrail.analytics.cost.CostService#compute}) and their savings. Built by {@link ReportService}.
     */
    public Report forTeams(java.util.Set<String> keep, CostReport teamCost) {
        java.util.function.Predicate<String> mine = teamsOnly(keep);
        return new Report(
                schemaVersion,
                asOf,
                ingest,
                secrets.stream().filter(s -> mine.test(s.arn())).toList(),
                unattributedCalls,
                alerts == null
                        ? null
                        : alerts.stream().filter(f -> mine.test(f.resource())).toList(),
                teamCost,
                access == null
                        ? null
                        : access.stream().filter(a -> mine.test(a.secret())).toList(),
                unknownNames,
                owners,
                teams == null
                        ? null
                        : teams.stream().filter(t -> keep.contains(t.team())).toList());
    }

    /** A report with no unknown names. */
    public Report(
            int schemaVersion,
            Instant asOf,
            IngestCounts ingest,
            List<SecretSummary> secrets,
            long unattributedCalls,
            List<Finding> alerts,
            CostReport cost,
            List<AccessEntry> access) {
        this(schemaVersion, asOf, ingest, secrets, unattributedCalls, alerts, cost, access, List.of());
    }

    /**
     * This report with its detections narrowed to the incidents whose last hit is after {@code since}; posture
     * alarms and standing states (a public policy) stay, as they are current by definition.
     */
    public Report detectionsSince(Instant since) {
        List<Finding> kept = alerts == null
                ? null
                : alerts.stream()
                        .filter(f -> f.incident() == null
                                || f.incident().standing()
                                || f.incident().lastHit().isAfter(since))
                        .toList();
        return new Report(
                schemaVersion,
                asOf,
                ingest,
                secrets,
                unattributedCalls,
                kept,
                cost,
                access,
                unknownNames,
                owners,
                teams);
    }

    /**
     * Calls to names never confirmed to exist beyond the cap per account and region: {@code calls}
     * unique events naming one of {@code names} distinct names, none of which is listed in secrets.
     */
    public record UnknownNames(String account, String region, long calls, long names) {}

    /**
     * @param secretsManagerEvents unique (by eventID) Secrets Manager events up to asOf
     * @param conflicts of the duplicates, copies whose time or content differs from the copy stored first
     * @param future stored events dated more than {@link #FUTURE_SLACK} after asOf
     */
    public record IngestCounts(
            long files,
            long records,
            long secretsManagerEvents,
            long duplicates,
            long rejected,
            long conflicts,
            long future) {
        public IngestCounts(long files, long records, long secretsManagerEvents, long duplicates, long rejected) {
            this(files, records, secretsManagerEvents, duplicates, rejected, 0, 0);
        }
    }

    /** How far past "now" an event may be dated before it counts as from the future (clock skew allowance). */
    public static final java.time.Duration FUTURE_SLACK = java.time.Duration.ofDays(1);

    /**
     * One secret: its identity, who and how often, and its lifecycle dates.
     *
     * @param calls every API call and service event naming it (a batch and each entry it generated count)
     * @param reads successful retrievals of its value, each once: {@code GetSecretValue} entries without an
     *     error (those a batch generated included) plus the listed secrets a batch with no entry in the trail
     *     counts itself (the snapshot's {@code read_refs})
     * @param exists true: confirmed to exist; false: never confirmed where an inventory covers its account and
     *     region; null: never confirmed, and no inventory covers them. Only a secret that exists is billed
     * @param kms its KMS requests up to asOf and its key, or null when not looked at
     */
    public record SecretSummary(
            String arn,
            String name,
            String account,
            String region,
            String primaryRegion,
            boolean resolved,
            long calls,
            Map<String, Long> callsByEvent,
            long errors,
            long principals,
            Instant lastAccessed,
            Instant lastRotated,
            Instant lastChanged,
            Boolean rotationEnabled,
            Instant createdDate,
            Instant deletedDate,
            CostReport.Line cost,
            long reads,
            Boolean exists,
            Kms kms) {
        /**
         * A secret's KMS side.
         *
         * @param requests the KMS requests made for it up to asOf (like {@code calls}); null when the data holds no
         *     KMS request for its account and region at all
         * @param key the key its KMS requests name, else its inventory's KmsKeyId, else
         *     {@code alias/aws/secretsmanager} when inventoried; null when nothing says
         */
        public record Kms(Long requests, String key) {}

        /** This summary with its KMS side. */
        public SecretSummary withKms(Kms k) {
            return with(cost, exists, k);
        }

        /** This summary with its cost line. */
        public SecretSummary withCost(CostReport.Line line) {
            return with(line, exists, kms);
        }

        /** This summary with {@code exists} set. */
        public SecretSummary withExists(Boolean known) {
            return with(cost, known, kms);
        }

        private SecretSummary with(CostReport.Line line, Boolean known, Kms k) {
            return new SecretSummary(
                    arn,
                    name,
                    account,
                    region,
                    primaryRegion,
                    resolved,
                    calls,
                    callsByEvent,
                    errors,
                    principals,
                    lastAccessed,
                    lastRotated,
                    lastChanged,
                    rotationEnabled,
                    createdDate,
                    deletedDate,
                    line,
                    reads,
                    known,
                    k);
        }

        /** A summary of a secret known to exist. */
        public SecretSummary(
                String arn,
                String name,
                String account,
                String region,
                String primaryRegion,
                boolean resolved,
                long calls,
                Map<String, Long> callsByEvent,
                long errors,
                long principals,
                Instant lastAccessed,
                Instant lastRotated,
                Instant lastChanged,
                Boolean rotationEnabled,
                Instant createdDate,
                Instant deletedDate,
                CostReport.Line cost,
                long reads) {
            this(
                    arn,
                    name,
                    account,
                    region,
                    primaryRegion,
                    resolved,
                    calls,
                    callsByEvent,
                    errors,
                    principals,
                    lastAccessed,
                    lastRotated,
                    lastChanged,
                    rotationEnabled,
                    createdDate,
                    deletedDate,
                    cost,
                    reads,
                    Boolean.TRUE,
                    null);
        }

        /** A summary without reads counted. */
        public SecretSummary(
                String arn,
                String name,
                String account,
                String region,
                String primaryRegion,
                boolean resolved,
                long calls,
                Map<String, Long> callsByEvent,
                long errors,
                long principals,
                Instant lastAccessed,
                Instant lastRotated,
                Instant lastChanged,
                Boolean rotationEnabled,
                Instant createdDate,
                Instant deletedDate,
                CostReport.Line cost) {
            this(
                    arn,
                    name,
                    account,
                    region,
                    primaryRegion,
                    resolved,
                    calls,
                    callsByEvent,
                    errors,
                    principals,
                    lastAccessed,
                    lastRotated,
                    lastChanged,
                    rotationEnabled,
                    createdDate,
                    deletedDate,
                    cost,
                    0);
        }
    }
}
