package io.secrettrail.analytics.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.secrettrail.analytics.snapshot.Snapshot;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.event.CloudTrailEvent;
import io.secrettrail.core.event.EventParser;
import io.secrettrail.core.event.Rejection;
import io.secrettrail.core.event.TrailReader;
import io.secrettrail.core.secret.InventoryEntry;
import io.secrettrail.core.secret.SecretArn;
import io.secrettrail.core.secret.SecretIndex;
import io.secrettrail.core.secret.SecretRef;
import io.secrettrail.core.secret.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh in-memory DuckDB per test, loaded through the real store with events shaped like the
 * public records in core's fixtures (the AWS documentation's RotationFailed service event, Stratus
 * Red Team's GetSecretValue calls), then the real rules run on it.
 */
public final class RuleFixture implements AutoCloseable {
    static final String ACCOUNT = "123456789012";
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private EventStore store;
    private final RuleCatalog catalog = RuleCatalog.load();
    private int ids;

    public RuleFixture() throws SQLException {
        this(null);
    }

    /** @param file a database file, or null for memory */
    public RuleFixture(Path file) throws SQLException {
        this(file, null);
    }

    /**
     * @param file a database file, or null for memory
     * @param own the rule for SecretTrail's own calls the writer opens the store with; null keeps the stored one
     */
    public RuleFixture(Path file, io.secrettrail.analytics.store.OwnCalls own) throws SQLException {
        this.file = file;
        store = open(file, own);
    }

    private static EventStore open(Path file, io.secrettrail.analytics.store.OwnCalls own) throws SQLException {
        return own == null
                ? EventStore.open(file)
                : EventStore.open(file, io.secrettrail.analytics.store.StoreLimits.defaults(), own);
    }

    /** Closes the store and opens its file again, as a restarted process does; event ids keep counting. */
    public void restart() throws SQLException {
        restart(null);
    }

    /** As {@link #restart()}, the writer opening the store with {@code own} (null keeps the stored rule). */
    public void restart(io.secrettrail.analytics.store.OwnCalls own) throws SQLException {
        store.close();
        store = open(file, own);
    }

    public static String arn(String region, String name) {
        return "arn:aws:secretsmanager:" + region + ":" + ACCOUNT + ":secret:" + name + "-a1b2c3";
    }

    /** An inventory entry as list-secrets gives it, tagged team=payments (whatever its listing says); null dates are absent. */
    public void inventory(
            String arn,
            String primaryRegion,
            Boolean rotationEnabled,
            Instant created,
            Instant lastRotated,
            Instant lastAccessed,
            Instant deleted,
            Instant nextRotation)
            throws SQLException {
        inventory(arn, primaryRegion, rotationEnabled, created, lastRotated, lastAccessed, deleted, nextRotation, "{}");
    }

    /**
     * An inventory entry whose list-secrets JSON is {@code listing} (for fields the columns do not
     * hold, such as OwningService or Type), rotation off, in its own region.
     */
    public void inventory(String arn, Instant created, String listing) throws SQLException {
        inventory(arn, null, false, created, null, null, null, null, listing);
    }

    private void inventory(
            String arn,
            String primaryRegion,
            Boolean rotationEnabled,
            Instant created,
            Instant lastRotated,
            Instant lastAccessed,
            Instant deleted,
            Instant nextRotation,
            String listing)
            throws SQLException {
        SecretArn a = SecretArn.parse(arn).orElseThrow();
        Batch b = new Batch();
        b.inventory(
                arn,
                new InventoryEntry(
                        arn,
                        SecretArn.nameOfFull(arn),
                        a.account(),
                        a.region(),
                        primaryRegion,
                        rotationEnabled,
                        null,
                        rotationEnabled == Boolean.TRUE ? 30 : null,
                        created,
                        lastRotated,
                        null,
                        lastAccessed,
                        deleted,
                        nextRotation,
                        Map.of("team", "payments"),
                        listing.getBytes(StandardCharsets.UTF_8)));
        store.write(b);
    }

    /** An inventory covers the fixture's account in {@code region} (a complete listing of it, or a file). */
    public void coverage(String region) throws SQLException {
        Batch b = new Batch();
        b.coverage(ACCOUNT, region, "test");
        store.write(b);
    }

    /** An inventory tombstone: the secret left the listing at {@code at}. */
    public void gone(String arn, Instant at) throws SQLException {
        Batch b = new Batch();
        b.inventoryGone(arn, at);
        store.write(b);
    }

    /**
     * A ListSecrets entry for {@code arn} (its name taken from the ARN, created 2026-05-05) with these further
     * fields, such as {@code "Tags":[]}, through the real inventory reader.
     */
    public void listed(String arn, String fields) throws Exception {
        listing("{\"ARN\":\"" + arn + "\",\"Name\":\"" + SecretArn.nameOfFull(arn)
                + "\",\"CreatedDate\":\"2026-05-05T12:00:00Z\"" + (fields.isEmpty() ? "" : "," + fields) + "}");
    }

    /** A secret's current resource policy (GetResourcePolicy's, or a saved output's when readAt is null). */
    public void policy(String arn, String document, Instant readAt, String origin) throws SQLException {
        Batch b = new Batch();
        b.policy(new io.secrettrail.core.secret.ResourcePolicy(
                arn, io.secrettrail.core.secret.SecretArn.nameOfFull(arn), document, readAt, origin));
        store.write(b);
    }

    /** A ListSecrets {@code SecretList} entry, through the real inventory reader. */
    public void listing(String json) throws Exception {
        InventoryEntry e = new io.secrettrail.core.secret.InventoryReader().parse(JSON.readTree(json));
        Batch b = new Batch();
        b.inventory(e.arn(), e);
        store.write(b);
    }

    /** A rotation service event, shaped like the AWS documentation's RotationFailed record. */
    public void serviceEvent(String name, String arn, Instant at, String errorMessage) throws Exception {
        String region = SecretArn.parse(arn).orElseThrow().region();
        String json = """
                {"eventVersion":"1.08","userIdentity":{"accountId":"%s","invokedBy":"secretsmanager.amazonaws.com"},
                 "eventTime":"%s","eventSource":"secretsmanager.amazonaws.com","eventName":"%s","awsRegion":"%s",
                 "sourceIPAddress":"secretsmanager.amazonaws.com","userAgent":"secretsmanager.amazonaws.com",
                 %s"requestParameters":null,"responseElements":null,"additionalEventData":{"SecretId":"%s"},
                 "requestID":"Rotation-%s","eventID":"%s","readOnly":false,"eventType":"AwsServiceEvent",
                 "managementEvent":true,"recipientAccountId":"%s","eventCategory":"Management"}""".formatted(
                        ACCOUNT,
                        at,
                        name,
                        region,
                        errorMessage == null ? "" : "\"errorMessage\":" + JSON.writeValueAsString(errorMessage) + ",",
                        arn,
                        arn,
                        nextId(),
                        ACCOUNT);
        store(json, arn);
    }

    /** An API call by an assumed role, shaped like Stratus Red Team's GetSecretValue records. */
    public void apiCall(String name, String arn, Instant at, String errorCode) throws Exception {
        pending = new Batch();
        addApiCall(name, arn, at, errorCode);
        store.write(pending);
        pending = null;
    }

    /** Many successful calls, in one transaction. */
    public void apiCalls(String name, String arn, List<Instant> times) throws Exception {
        pending = new Batch();
        for (Instant t : times) {
            addApiCall(name, arn, t, null);
        }
        store.write(pending);
        pending = null;
    }

    private Batch pending;

    /** An API call that names no secret (ListSecrets, GetRandomPassword). */
    public void unattributedCall(String name, Instant at) throws Exception {
        unattributedCall(name, "us-east-1", at);
    }

    /** A ListSecrets call in {@code region}: the trail of the fixture's account there reaches back to {@code at}. */
    public void historyFrom(String region, Instant at) throws Exception {
        unattributedCall("ListSecrets", region, at);
    }

    private void unattributedCall(String name, String region, Instant at) throws Exception {
        String json = """
                {"awsRegion":"%s","eventID":"%s","eventName":"%s","eventSource":"secretsmanager.amazonaws.com",
                 "eventTime":"%s","eventType":"AwsApiCall","recipientAccountId":"%s","requestParameters":{},
                 "userIdentity":{"type":"AssumedRole","accountId":"%s","arn":"arn:aws:sts::%s:assumed-role/app/i-0abc",
                 "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::%s:role/app"}}}}""".formatted(region, nextId(), name, at, ACCOUNT, ACCOUNT, ACCOUNT, ACCOUNT);
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        Batch b = new Batch();
        b.event(new Batch.EventRow(new EventParser().parse(JSON.readTree(raw), raw), null, true, "test", 1L));
        store.write(b);
    }

    /** Successful GetSecretValue calls, one on each of these secrets, in one transaction. */
    public void readsOf(List<String> arns, Instant at) throws Exception {
        pending = new Batch();
        for (String arn : arns) {
            addApiCall("GetSecretValue", arn, at, null);
        }
        store.write(pending);
        pending = null;
    }

    private void addApiCall(String name, String arn, Instant at, String errorCode) throws Exception {
        String region = SecretArn.parse(arn).orElseThrow().region();
        String json = """
                {"awsRegion":"%s","eventCategory":"Management","eventID":"%s","eventName":"%s",
                 "eventSource":"secretsmanager.amazonaws.com","eventTime":"%s","eventType":"AwsApiCall","eventVersion":"1.09",
                 %s"managementEvent":true,"readOnly":true,"recipientAccountId":"%s","requestID":"r-%s",
                 "requestParameters":{"secretId":"%s"},"responseElements":null,"sourceIPAddress":"10.0.0.1",
                 "userAgent":"aws-sdk-java/2.25.0","userIdentity":{"type":"AssumedRole","accountId":"%s",
                 "arn":"arn:aws:sts::%s:assumed-role/app/i-0abc","sessionContext":{"sessionIssuer":{"type":"Role",
                 "arn":"arn:aws:iam::%s:role/app","accountId":"%s","userName":"app"}}}}""".formatted(
                        region,
                        nextId(),
                        name,
                        at,
                        errorCode == null ? "" : "\"errorCode\":\"" + errorCode + "\",",
                        ACCOUNT,
                        ids,
                        arn,
                        ACCOUNT,
                        ACCOUNT,
                        ACCOUNT,
                        ACCOUNT);
        pending.event(row(json, arn));
    }

    private void store(String json, String arn) throws Exception {
        Batch b = new Batch();
        b.event(row(json, arn));
        store.write(b);
    }

    private static Batch.EventRow row(String json, String arn) throws Exception {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        CloudTrailEvent e = new EventParser().parse(JSON.readTree(raw), raw);
        SecretArn a = SecretArn.parse(arn).orElseThrow();
        return new Batch.EventRow(
                e, new SecretRef(arn, true, a.account(), a.region(), SecretArn.nameOfFull(arn)), true, "test", 1L);
    }

    /**
     * Every Secrets Manager record of a file (Records, NDJSON or a JSON array), through the real
     * reader, parser and resolver, in one transaction.
     *
     * @return the records the reader rejected
     */
    public List<Rejection> load(Path file) throws Exception {
        List<Rejection> rejected = new ArrayList<>();
        SecretResolver resolver = new SecretResolver(new SecretIndex());
        Batch b = new Batch();
        String name = file.getFileName().toString();
        new TrailReader().read(file, name, new TrailReader.Sink() {
            @Override
            public void accept(CloudTrailEvent e, long record) {
                add(b, resolver, e, name, record);
            }

            @Override
            public void reject(Rejection r) {
                rejected.add(r);
            }
        });
        store.write(b);
        return rejected;
    }

    /** Raw CloudTrail records (JSON text), through the real parser and resolver, in one transaction. */
    public void events(List<String> records) throws Exception {
        SecretResolver resolver = new SecretResolver(new SecretIndex());
        Batch b = new Batch();
        long i = 0;
        for (String json : records) {
            byte[] raw = json.getBytes(StandardCharsets.UTF_8);
            add(b, resolver, new EventParser().parse(JSON.readTree(raw), raw), "test", ++i);
        }
        store.write(b);
    }

    private static void add(Batch b, SecretResolver resolver, CloudTrailEvent e, String file, long record) {
        b.event(e, resolver.resolve(e), file, record);
    }

    /** 20 reads of distinct secrets (prod/s0..s19 in us-east-1) by {@code role} within 19 s from {@code at}, written: one bulk hit. */
    public void burst(String role, Instant at) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            out.add(call("GetSecretValue", at.plusSeconds(i))
                    .by(role)
                    .secret(arn("us-east-1", "prod/s" + i))
                    .json());
        }
        events(out);
    }

    /** A call record to build: by default a successful call by role {@code app} from 10.0.0.1 in us-east-1. */
    /** Six reads of distinct secrets (prod/s0..s5 in us-east-1) within a minute, ten seconds apart: one bulk hit. */
    public List<String> sixReads(String who, Instant at) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            out.add(call("GetSecretValue", at.plusSeconds(i * 10L))
                    .by(who)
                    .secret(arn("us-east-1", "prod/s" + i))
                    .json());
        }
        return out;
    }

    public Call call(String name, Instant at) {
        return new Call(name, at);
    }

    /** A CloudTrail AwsApiCall record shaped like Stratus Red Team's, built field by field. */
    public final class Call {
        private final String name;
        private final Instant at;
        private String role = "app";
        private String session = "i-0abc";
        private String region = "us-east-1";
        private String params = "{}";
        private String response = "null";
        private String errorCode;
        private String errorMessage;
        private String ip = "10.0.0.1";
        private String agent = "aws-sdk-java/2.25.0";
        private String requestId;

        Call(String name, Instant at) {
            this.name = name;
            this.at = at;
        }

        public Call by(String role) {
            this.role = role;
            return this;
        }

        public Call session(String session) {
            this.session = session;
            return this;
        }

        public Call in(String region) {
            this.region = region;
            return this;
        }

        public Call secret(String id) throws Exception {
            this.params = "{\"secretId\":" + JSON.writeValueAsString(id) + "}";
            return this;
        }

        /** requestParameters as JSON text. */
        public Call params(String json) {
            this.params = json;
            return this;
        }

        /** responseElements as JSON text. */
        public Call response(String json) {
            this.response = json;
            return this;
        }

        public Call error(String code, String message) {
            this.errorCode = code;
            this.errorMessage = message;
            return this;
        }

        public Call from(String ip) {
            this.ip = ip;
            return this;
        }

        public Call agent(String agent) {
            this.agent = agent;
            return this;
        }

        /** CloudTrail's requestID; by default one of its own, as AWS gives every call. */
        public Call request(String id) {
            this.requestId = id;
            return this;
        }

        public String json() throws Exception {
            return """
                    {"awsRegion":"%s","eventCategory":"Management","eventID":"%s","eventName":"%s",
                     "eventSource":"secretsmanager.amazonaws.com","eventTime":"%s","eventType":"AwsApiCall","eventVersion":"1.09",
                     %s%s"managementEvent":true,"readOnly":true,"recipientAccountId":"%s","requestID":%s,
                     "requestParameters":%s,"responseElements":%s,"sourceIPAddress":%s,
                     "userAgent":%s,"userIdentity":{"type":"AssumedRole","accountId":"%s",
                     "arn":"arn:aws:sts::%s:assumed-role/%s/%s","sessionContext":{"sessionIssuer":{"type":"Role",
                     "arn":"arn:aws:iam::%s:role/%s","accountId":"%s","userName":"%s"}}}}""".formatted(
                    region,
                    nextId(),
                    name,
                    at,
                    errorCode == null ? "" : "\"errorCode\":" + JSON.writeValueAsString(errorCode) + ",",
                    errorMessage == null ? "" : "\"errorMessage\":" + JSON.writeValueAsString(errorMessage) + ",",
                    ACCOUNT,
                    JSON.writeValueAsString(requestId != null ? requestId : "r-" + ids),
                    params,
                    response,
                    JSON.writeValueAsString(ip),
                    JSON.writeValueAsString(agent),
                    ACCOUNT,
                    ACCOUNT,
                    role,
                    session,
                    ACCOUNT,
                    role,
                    ACCOUNT,
                    role);
        }
    }

    /** A CloudTrail call by {@code role} on the trail named {@code name}, denied when {@code error} is set. */
    public String trailCall(String event, String role, String name, Instant at, String error) throws Exception {
        Call c = call(event, at).by(role).params("{\"name\":" + JSON.writeValueAsString(name) + "}");
        if (error != null) {
            c.error(error, "User is not authorized to perform: cloudtrail:" + event);
        }
        return c.json().replace("secretsmanager.amazonaws.com", "cloudtrail.amazonaws.com");
    }

    /** The stable key SecretTrail gives the role of {@link Call#by}. */
    public static String role(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
    }

    private String nextId() {
        return "00000000-0000-0000-0000-" + String.format("%012d", ++ids);
    }

    public EventStore store() {
        return store;
    }

    /** A reader connection on the fixture's database. */
    public Connection reader() throws SQLException {
        return store.reader();
    }

    public List<Finding> run(String ruleId, Instant asOf, Map<String, String> settings) throws SQLException {
        try (Connection c = store.reader()) {
            return new RuleRunner(Snapshot.at(c, asOf)).run(catalog.get(ruleId), catalog.values(settings));
        }
    }

    /** The rule's findings at asOf as an incremental evaluation on the fixture's database gives them. */
    public List<Finding> incremental(String ruleId, Instant asOf, Map<String, String> settings) throws SQLException {
        try (Connection c = store.reader()) {
            return new IncrementalRunner(Snapshot.at(c, asOf), IgnoredCallers.NONE)
                    .run(catalog.get(ruleId), catalog.values(settings));
        }
    }

    /**
     * Every given rule's findings at asOf, from scratch ({@code incremental} false) or as an incremental
     * evaluation gives them, all over one snapshot, as one evaluation of the report runs them.
     */
    public Map<String, List<Finding>> runAll(
            List<Rule> rules, Instant asOf, Map<String, String> settings, boolean incremental) throws SQLException {
        Map<String, Object> values = catalog.values(settings);
        Map<String, List<Finding>> out = new LinkedHashMap<>();
        try (Connection c = store.reader()) {
            Snapshot snapshot = Snapshot.at(c, asOf);
            RuleRunner scratch = new RuleRunner(snapshot);
            IncrementalRunner incr = new IncrementalRunner(snapshot, IgnoredCallers.NONE);
            for (Rule rule : rules) {
                out.put(rule.id(), incremental ? incr.run(rule, values) : scratch.run(rule, values));
            }
        }
        return out;
    }

    public RuleCatalog catalog() {
        return catalog;
    }

    Finding finding(String ruleId, String arn, Instant asOf) throws SQLException {
        return finding(ruleId, arn, asOf, Map.of());
    }

    Finding finding(String ruleId, String arn, Instant asOf, Map<String, String> settings) throws SQLException {
        return run(ruleId, asOf, settings).stream()
                .filter(f -> f.resource().equals(arn))
                .findFirst()
                .orElseThrow(() -> new AssertionError(ruleId + " said nothing of " + arn));
    }

    @Override
    public void close() throws SQLException {
        store.close();
    }

    /** That ingest read a trail file of this account and region whose latest record is at {@code latest}. */
    public void delivery(String account, String region, String file, Instant latest) throws SQLException {
        Batch b = new Batch();
        b.delivery(new Batch.DeliveryRow(account, region, file, latest, 1));
        store.write(b);
    }

    /** Dead letters' headers, as analytics records them from the dead-letter topic. */
    public void rejections(List<Batch.RejectionRow> rows) throws SQLException {
        Batch b = new Batch();
        rows.forEach(b::rejection);
        store.write(b);
    }
}
