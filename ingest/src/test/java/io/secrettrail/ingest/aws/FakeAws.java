package io.secrettrail.ingest.aws;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * A local stand-in for the parts of AWS that unmodified AWS SDK v2 clients talk to, speaking the real
 * wire protocols: CloudTrail {@code LookupEvents}, Secrets Manager {@code ListSecrets} and Cost Explorer
 * {@code GetCostAndUsage} (awsJson1_1), Security Hub {@code BatchImportFindings} ({@code POST /findings/import},
 * REST-JSON; {@link SecurityHubFindings}),
 * STS {@code AssumeRole}/{@code GetCallerIdentity} (awsQuery, XML replies) and S3
 * {@code ListObjectsV2}/{@code GetObject}/{@code HeadObject}/{@code HeadBucket} (REST-XML, path-style only).
 *
 * <p>Point a client at it with {@code endpointOverride(fake.endpoint())} (S3 also needs {@code forcePathStyle(true)}).
 * The account of each request comes from the SigV4 credential scope: keys registered with {@link #mapKey}, and
 * {@code ASIA<12 digits>...} keys (what {@code AssumeRole} here hands out) map to those 12 digits. Signatures are
 * not verified; session tokens and expiry of keys issued by this fake's STS are. Unknown keys get AWS's
 * unknown-key error for the protocol.
 *
 * <p>Everything here is generic AWS behaviour; nothing knows about the code under test.
 */
public final class FakeAws implements AutoCloseable {
    static {
        // The JDK server writes headers and body in separate segments; with Nagle on, each answer
        // then waits for the client's delayed ACK (~40 ms). AWS's endpoints do not: turn it off.
        // Read once, when the JDK's HttpServer configuration loads, so before any server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Operation names accepted by {@link #fail} and reported in {@link Request#operation()}. */
    public static final Set<String> OPERATIONS = Set.of(
            "LookupEvents",
            "ListSecrets",
            "GetResourcePolicy",
            "DescribeSecret",
            "GetCostAndUsage",
            "BatchImportFindings",
            "AssumeRole",
            "GetCallerIdentity",
            "ListObjectsV2",
            "GetObject",
            "HeadObject",
            "HeadBucket");

    /** One request as received (recorded before authentication, so failed ones are included). */
    public record Request(
            String operation,
            String account,
            String region,
            String accessKeyId,
            Instant at,
            Map<String, String> params,
            String userAgent) {
        public Request {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    private static final String RAW = "FakeAws:raw";
    private static final String DROP = "FakeAws:drop";

    /**
     * An error reply. The factories give AWS's real error shapes; a fault made by one of them is rendered in the
     * shape of the protocol of the service that receives it (e.g. {@link #throttling()} becomes a 503
     * {@code SlowDown} on S3 and a 400 {@code Throttling} on STS). Any other fault is sent as given, in the
     * receiving protocol's error syntax. In messages, {@code {principal}}, {@code {account}}, {@code {action}}
     * and {@code {resource}} are replaced with the caller's ARN, account, the IAM action of the operation and the
     * resource it targets.
     */
    public record Fault(int status, String code, String message, Map<String, String> headers) {
        public Fault {
            Objects.requireNonNull(code, "code");
            message = message == null ? "" : message;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        public static Fault of(int status, String code, String message) {
            return new Fault(status, code, message, Map.of());
        }

        /** Not an AWS error: this body as it is (a proxy's HTML page, say), with this status and content type. */
        public static Fault raw(int status, String contentType, String body) {
            return new Fault(status, RAW, body, Map.of("Content-Type", contentType));
        }

        /** Not an answer at all: the connection is closed before any response (a reset, a dropped link). */
        public static Fault dropConnection() {
            return new Fault(0, DROP, "", Map.of());
        }

        /** JSON: 400 ThrottlingException "Rate exceeded"; S3: 503 SlowDown; STS: 400 Throttling. */
        public static Fault throttling() {
            return of(400, "ThrottlingException", "Rate exceeded");
        }

        /** REST-JSON (Security Hub): 429 TooManyRequestsException "Rate exceeded". */
        public static Fault tooManyRequests() {
            return of(429, "TooManyRequestsException", "Rate exceeded");
        }

        /** S3: 503 SlowDown "Please reduce your request rate."; JSON and STS: their throttling error. */
        public static Fault slowDown() {
            return of(503, "SlowDown", "Please reduce your request rate.");
        }

        /** JSON: 400 ExpiredTokenException; S3 and STS: 400 ExpiredToken. */
        public static Fault expiredToken() {
            return of(400, "ExpiredTokenException", "The security token included in the request is expired");
        }

        /** JSON: 400 AccessDeniedException naming the IAM action; S3: 403 AccessDenied; STS: 403 AccessDenied. */
        public static Fault accessDenied() {
            return of(
                    400,
                    "AccessDeniedException",
                    "User: {principal} is not authorized to perform: {action}"
                            + " because no identity-based policy allows the {action} action");
        }

        /** A 500 InternalFailure (JSON), InternalError (S3) or InternalFailure (STS); retried by the SDK. */
        public static Fault internalError() {
            return of(500, "InternalFailure", "We encountered an internal error. Please try again.");
        }

        public Fault withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Fault(status, code, message, h);
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern ASIA_KEY = Pattern.compile("^ASIA(\\d{12}).*");
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):role/(?:[^/]+/)*([^/]+)$");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter S3_DATE = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final Set<String> SECRET_DATE_FIELDS = Set.of(
            "LastRotatedDate", "LastChangedDate", "LastAccessedDate", "DeletedDate", "NextRotationDate", "CreatedDate");

    private enum Protocol {
        JSON,
        REST_JSON,
        QUERY,
        S3
    }

    private record Session(
            String account, String arn, String secretAccessKey, String sessionToken, Instant expiration) {}

    private record Principal(String account, String arn) {}

    private record Auth(String accessKeyId, String region, String service, String securityToken) {}

    private static final class Armed {
        int remaining;
        final Fault fault;

        Armed(int remaining, Fault fault) {
            this.remaining = remaining;
            this.fault = fault;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Principal> keys = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> requiredExternalIds = new ConcurrentHashMap<>();
    private final Map<String, CloudTrailEvents> trails = new ConcurrentHashMap<>();
    private final Map<String, Secrets> secretStores = new ConcurrentHashMap<>();
    private final S3Buckets s3 = new S3Buckets();
    private final CostExplorerData costExplorer = new CostExplorerData();
    private final SecurityHubFindings securityHub = new SecurityHubFindings();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Armed>> faults = new HashMap<>();
    private final Map<String, Fault> standingFaults = new HashMap<>();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();
    private volatile Duration assumeRoleDuration;
    /** How far this fake's STS clock runs ahead of the wall clock: a test moves it instead of sleeping. */
    private volatile Duration stsAhead = Duration.ZERO;

    private volatile boolean trace;

    public FakeAws() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-aws-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public static FakeAws start() {
        return new FakeAws();
    }

    /** {@code http://127.0.0.1:<port>}, for {@code endpointOverride}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Requests signed with {@code accessKeyId} belong to {@code account} (as IAM user {@code fake-user}). */
    public FakeAws mapKey(String accessKeyId, String account) {
        return mapKey(accessKeyId, account, "arn:aws:iam::" + account + ":user/fake-user");
    }

    /** Requests signed with {@code accessKeyId} belong to {@code account}, as the principal {@code principalArn}. */
    public FakeAws mapKey(String accessKeyId, String account, String principalArn) {
        requireAccount(account);
        keys.put(accessKeyId, new Principal(account, principalArn));
        return this;
    }

    /** CloudTrail event history of one account and region (created empty on first use). */
    public CloudTrailEvents cloudTrail(String account, String region) {
        requireAccount(account);
        return trails.computeIfAbsent(account + "/" + region, k -> new CloudTrailEvents());
    }

    /** Secrets Manager secret list of one account and region (created empty on first use). */
    public Secrets secrets(String account, String region) {
        requireAccount(account);
        return secretStores.computeIfAbsent(account + "/" + region, k -> new Secrets());
    }

    /** S3 buckets (global, like S3's bucket namespace). */
    /** Cost Explorer's data of the (payer) account the requests are signed for: one table for any caller. */
    public CostExplorerData costExplorer() {
        return costExplorer;
    }

    /** What Security Hub's BatchImportFindings took, per account and region. */
    public SecurityHubFindings securityHub() {
        return securityHub;
    }

    public S3Buckets s3() {
        return s3;
    }

    /**
     * Lifetime of credentials handed out by AssumeRole. {@code null} (the default) means AWS's rule: the request's
     * DurationSeconds, else one hour. Requests signed with an issued key after it expired get ExpiredToken errors.
     */
    public FakeAws assumeRoleDuration(Duration duration) {
        this.assumeRoleDuration = duration;
        return this;
    }

    /** Moves the clock that issues and expires credentials forward, as time passing would. */
    public FakeAws advanceStsClock(Duration by) {
        this.stsAhead = stsAhead.plus(by);
        return this;
    }

    private Instant stsNow() {
        return Instant.now().plus(stsAhead);
    }

    /** AssumeRole of {@code roleArn} is denied (403 AccessDenied) unless the request carries this ExternalId. */
    public FakeAws requireExternalId(String roleArn, String externalId) {
        requiredExternalIds.put(roleArn, externalId);
        return this;
    }

    /** The next {@code times} requests of {@code operation} get {@code fault} (queued after earlier fail calls). */
    public FakeAws fail(String operation, int times, Fault fault) {
        requireOperation(operation);
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        synchronized (faults) {
            faults.computeIfAbsent(operation, k -> new ArrayDeque<>())
                    .add(new Armed(times, Objects.requireNonNull(fault)));
        }
        return this;
    }

    /** Every request of {@code operation} gets {@code fault} (after any queued {@link #fail} faults are used up). */
    public FakeAws failAlways(String operation, Fault fault) {
        requireOperation(operation);
        synchronized (faults) {
            standingFaults.put(operation, Objects.requireNonNull(fault));
        }
        return this;
    }

    public FakeAws clearFaults() {
        gates.values().forEach(Gate::open);
        gates.clear();
        synchronized (faults) {
            faults.clear();
            standingFaults.clear();
        }
        return this;
    }

    /** Snapshot of all requests so far, in arrival order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Snapshot of the requests of one operation. */
    public List<Request> requests(String operation) {
        return requests().stream().filter(r -> r.operation().equals(operation)).toList();
    }

    public FakeAws clearRequests() {
        requests.clear();
        return this;
    }

    /** Print every request and response status to stderr (debugging aid). */
    public FakeAws trace(boolean on) {
        this.trace = on;
        return this;
    }

    @Override
    public void close() {
        gates.values().forEach(Gate::open);
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Data stores

    /** CloudTrail event history for one account and region. */
    public static final class CloudTrailEvents {
        private final Map<String, StoredEvent> events = new HashMap<>();

        /** Stores one raw CloudTrail record (as in a trail file's Records array); returns its eventID. */
        public synchronized String add(String rawEventJson) {
            StoredEvent e = StoredEvent.parse(rawEventJson);
            events.put(e.eventId(), e);
            return e.eventId();
        }

        public void addAll(Collection<String> rawEvents) {
            rawEvents.forEach(this::add);
        }

        public synchronized boolean remove(String eventId) {
            return events.remove(eventId) != null;
        }

        public synchronized int size() {
            return events.size();
        }

        public synchronized void clear() {
            events.clear();
        }

        synchronized List<StoredEvent> snapshot() {
            return new ArrayList<>(events.values());
        }
    }

    private record StoredEvent(
            String eventId,
            Instant time,
            String eventName,
            String eventSource,
            String username,
            String accessKeyId,
            String readOnly,
            String raw) {
        static final Comparator<StoredEvent> NEWEST_FIRST = Comparator.comparing(
                        (StoredEvent e) -> e.time().getEpochSecond())
                .thenComparing(StoredEvent::eventId)
                .reversed();

        static StoredEvent parse(String raw) {
            JsonNode n;
            try {
                n = JSON.readTree(raw);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a JSON CloudTrail record: " + e.getMessage(), e);
            }
            String id = text(n, "eventID");
            String time = text(n, "eventTime");
            String name = text(n, "eventName");
            String source = text(n, "eventSource");
            if (id == null || time == null || name == null || source == null) {
                throw new IllegalArgumentException(
                        "CloudTrail record needs eventID, eventTime, eventName, eventSource");
            }
            Instant at;
            try {
                at = Instant.parse(time);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("eventTime is not ISO-8601: " + time, e);
            }
            JsonNode who = n.path("userIdentity");
            String username = text(who, "userName");
            if (username == null) {
                String arn = text(who, "arn");
                if (arn != null) {
                    int slash = arn.lastIndexOf('/');
                    username = slash >= 0 ? arn.substring(slash + 1) : arn.substring(arn.lastIndexOf(':') + 1);
                }
            }
            JsonNode ro = n.get("readOnly");
            String readOnly = ro == null || ro.isNull() ? "true" : ro.asText();
            return new StoredEvent(id, at, name, source, username, text(who, "accessKeyId"), readOnly, raw);
        }

        String attribute(String key) {
            return switch (key) {
                case "EventId" -> eventId;
                case "EventName" -> eventName;
                case "EventSource" -> eventSource;
                case "Username" -> username;
                case "AccessKeyId" -> accessKeyId;
                case "ReadOnly" -> readOnly;
                default -> null; // ResourceType / ResourceName: events here carry no resources
            };
        }
    }

    /** Secrets Manager secret list for one account and region, in insertion order. */
    public static final class Secrets {
        private final LinkedHashMap<String, ObjectNode> entries = new LinkedHashMap<>();
        private final Map<String, String> policies = new HashMap<>();
        private final Map<String, JsonNode> replication = new HashMap<>();
        private final Map<String, Long> seqs = new HashMap<>();
        private long nextSeq;

        /**
         * Stores one SecretListEntry as ListSecrets returns it (keyed by its ARN; replacing keeps its position).
         * Date fields may be epoch seconds (as the API returns) or ISO-8601 text, which is converted.
         */
        public synchronized String put(String secretListEntryJson) {
            JsonNode n;
            try {
                n = JSON.readTree(secretListEntryJson);
            } catch (IOException e) {
                throw new IllegalArgumentException("not a JSON SecretListEntry: " + e.getMessage(), e);
            }
            if (!(n instanceof ObjectNode o) || text(o, "ARN") == null) {
                throw new IllegalArgumentException("SecretListEntry needs an ARN");
            }
            for (String f : SECRET_DATE_FIELDS) {
                JsonNode d = o.get(f);
                if (d != null && d.isTextual()) {
                    Instant t = Instant.parse(d.asText());
                    o.put(
                            f,
                            new BigDecimal(t.getEpochSecond())
                                    .add(BigDecimal.valueOf(t.getNano(), 9))
                                    .stripTrailingZeros());
                }
            }
            String arn = text(o, "ARN");
            entries.put(arn, o);
            seqs.computeIfAbsent(arn, k -> nextSeq++);
            return arn;
        }

        public synchronized boolean remove(String arn) {
            seqs.remove(arn);
            policies.remove(arn);
            return entries.remove(arn) != null;
        }

        /** Attaches a resource policy (the JSON document, as PutResourcePolicy takes it) to a stored secret. */
        public synchronized void putPolicy(String arn, String policyJson) {
            if (!entries.containsKey(arn)) {
                throw new IllegalArgumentException("no secret " + arn);
            }
            policies.put(arn, policyJson);
        }

        /**
         * Sets a primary's replicas as DescribeSecret's ReplicationStatus lists them (a JSON array of
         * {"Region","KmsKeyId","Status","StatusMessage"}); ListSecrets does not show them.
         */
        public synchronized void putReplication(String arn, String replicationStatusJson) {
            if (!entries.containsKey(arn)) {
                throw new IllegalArgumentException("no secret " + arn);
            }
            try {
                replication.put(arn, JSON.readTree(replicationStatusJson));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a JSON ReplicationStatus: " + e.getMessage(), e);
            }
        }

        synchronized JsonNode replication(String arn) {
            JsonNode r = replication.get(arn);
            return r == null ? null : r.deepCopy();
        }

        /** Removes a secret's resource policy, as DeleteResourcePolicy does. */
        public synchronized void deletePolicy(String arn) {
            policies.remove(arn);
        }

        /** The secret a SecretId names (its ARN or its name), or null. */
        synchronized ObjectNode find(String secretId) {
            ObjectNode byArn = entries.get(secretId);
            if (byArn != null) {
                return byArn.deepCopy();
            }
            for (ObjectNode e : entries.values()) {
                if (secretId.equals(text(e, "Name"))) {
                    return e.deepCopy();
                }
            }
            return null;
        }

        synchronized String policy(String arn) {
            return policies.get(arn);
        }

        public synchronized int size() {
            return entries.size();
        }

        public synchronized void clear() {
            entries.clear();
            policies.clear();
            seqs.clear();
        }

        synchronized List<Map.Entry<Long, ObjectNode>> snapshot() {
            List<Map.Entry<Long, ObjectNode>> out = new ArrayList<>();
            entries.forEach((arn, node) -> out.add(Map.entry(seqs.get(arn), node.deepCopy())));
            return out;
        }
    }

    /** S3 buckets and objects. */
    public static final class S3Buckets {
        private final Map<String, NavigableMap<String, S3Object>> buckets = new HashMap<>();
        private int maxKeys = 1000;

        public synchronized S3Buckets createBucket(String bucket) {
            buckets.computeIfAbsent(bucket, b -> new TreeMap<>(FakeAws::compareUtf8));
            return this;
        }

        /** Stores an object (creating the bucket), last modified now. */
        public S3Buckets put(String bucket, String key, byte[] body) {
            return put(bucket, key, body, Instant.now());
        }

        public synchronized S3Buckets put(String bucket, String key, byte[] body, Instant lastModified) {
            createBucket(bucket);
            byte[] copy = body.clone();
            CRC32 crc = new CRC32();
            crc.update(copy);
            buckets.get(bucket)
                    .put(
                            key,
                            new S3Object(
                                    copy,
                                    "\"" + HexFormat.of().formatHex(md5(copy)) + "\"",
                                    lastModified.truncatedTo(ChronoUnit.MILLIS),
                                    (int) crc.getValue()));
            return this;
        }

        public synchronized boolean delete(String bucket, String key) {
            NavigableMap<String, S3Object> b = buckets.get(bucket);
            return b != null && b.remove(key) != null;
        }

        /** Server-side cap on keys per ListObjectsV2 page (S3's is 1000); lower it to exercise pagination. */
        public synchronized S3Buckets maxKeys(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxKeys must be >= 1");
            }
            this.maxKeys = n;
            return this;
        }

        synchronized int maxKeysCap() {
            return maxKeys;
        }

        synchronized NavigableMap<String, S3Object> bucket(String name) {
            NavigableMap<String, S3Object> b = buckets.get(name);
            return b == null ? null : new TreeMap<>(b);
        }

        synchronized S3Object object(String bucket, String key) {
            NavigableMap<String, S3Object> b = buckets.get(bucket);
            return b == null ? null : b.get(key);
        }
    }

    private record S3Object(byte[] body, String etag, Instant lastModified, int crc32) {}

    /**
     * Cost Explorer's cost and usage, one row per day, linked account, region, service, usage type and record type,
     * as {@code GetCostAndUsage} groups and filters it (DAILY; group by up to two of USAGE_TYPE, LINKED_ACCOUNT,
     * REGION, SERVICE; filter on those dimensions and RECORD_TYPE, one {@code Dimensions} or an {@code And} of them).
     */
    public static final class CostExplorerData {
        record Row(
                java.time.LocalDate day,
                String account,
                String region,
                String service,
                String usageType,
                String recordType,
                BigDecimal cost,
                BigDecimal quantity) {
            String dimension(String key) {
                return switch (key) {
                    case "LINKED_ACCOUNT" -> account;
                    case "REGION" -> region;
                    case "SERVICE" -> service;
                    case "USAGE_TYPE" -> usageType;
                    case "RECORD_TYPE" -> recordType;
                    default -> null;
                };
            }
        }

        private final List<Row> rows = new ArrayList<>();
        private int daysPerPage = 31;
        private java.util.function.UnaryOperator<ObjectNode> pages = java.util.function.UnaryOperator.identity();

        /** Each page is passed through this before it is sent (to serve a broken or hostile answer). */
        public synchronized CostExplorerData rewritePages(java.util.function.UnaryOperator<ObjectNode> rewrite) {
            pages = Objects.requireNonNull(rewrite);
            return this;
        }

        synchronized ObjectNode page(ObjectNode page) {
            return pages.apply(page);
        }

        /** A Usage row. */
        public synchronized CostExplorerData add(
                java.time.LocalDate day,
                String account,
                String region,
                String service,
                String usageType,
                String cost,
                String quantity) {
            return add(day, account, region, service, usageType, "Usage", cost, quantity);
        }

        public synchronized CostExplorerData add(
                java.time.LocalDate day,
                String account,
                String region,
                String service,
                String usageType,
                String recordType,
                String cost,
                String quantity) {
            rows.add(new Row(
                    day,
                    account,
                    region,
                    service,
                    usageType,
                    recordType,
                    new BigDecimal(cost),
                    new BigDecimal(quantity)));
            return this;
        }

        /** How many days of results one page holds (lower it to exercise NextPageToken). */
        public synchronized CostExplorerData daysPerPage(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("daysPerPage must be >= 1");
            }
            daysPerPage = n;
            return this;
        }

        synchronized List<Row> snapshot() {
            return List.copyOf(rows);
        }

        synchronized int pageDays() {
            return daysPerPage;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // HTTP plumbing

    private final class Call {
        final HttpExchange ex;
        final byte[] body;
        final Map<String, String> query;
        final Auth auth;
        final String requestId = UUID.randomUUID().toString();
        Protocol protocol;
        String operation = "Unknown";
        String action = "*";
        String resource = "*";
        Principal principal;

        Call(HttpExchange ex, byte[] body) {
            this.ex = ex;
            this.body = body;
            this.query = parseForm(ex.getRequestURI().getRawQuery());
            this.auth = parseAuth(ex.getRequestHeaders(), query);
        }

        String header(String name) {
            return ex.getRequestHeaders().getFirst(name);
        }

        boolean isHead() {
            return "HEAD".equals(ex.getRequestMethod());
        }
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Call c = new Call(ex, body);
            if (trace) {
                System.err.printf(
                        "FakeAws <- %s %s%n   headers %s%n   body %s%n",
                        ex.getRequestMethod(),
                        ex.getRequestURI(),
                        ex.getRequestHeaders().entrySet(),
                        new String(body, 0, Math.min(body.length, 4000), StandardCharsets.UTF_8));
            }
            try {
                String target = c.header("X-Amz-Target");
                String contentType = Objects.toString(c.header("Content-Type"), "");
                if (target != null) {
                    c.protocol = Protocol.JSON;
                    handleJson(c, target);
                } else if ("POST".equals(ex.getRequestMethod())
                        && ex.getRequestURI().getPath().equals("/findings/import")) {
                    c.protocol = Protocol.REST_JSON;
                    batchImportFindings(c);
                } else if ("POST".equals(ex.getRequestMethod())
                        && contentType.startsWith("application/x-www-form-urlencoded")) {
                    c.protocol = Protocol.QUERY;
                    handleQuery(c);
                } else {
                    c.protocol = Protocol.S3;
                    handleS3(c);
                }
            } catch (RuntimeException e) {
                System.err.println("FakeAws: internal error handling " + ex.getRequestURI());
                e.printStackTrace();
                if (c.protocol == null) {
                    c.protocol = Protocol.S3;
                }
                sendError(
                        c,
                        500,
                        c.protocol == Protocol.S3 ? "InternalError" : "InternalFailure",
                        "FakeAws internal error: " + e,
                        Map.of(),
                        Map.of());
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private void record(Call c, Map<String, String> params) {
        Principal p = c.auth == null ? null : principalOf(c.auth.accessKeyId());
        requests.add(new Request(
                c.operation,
                p == null ? null : p.account(),
                c.auth == null ? null : c.auth.region(),
                c.auth == null ? null : c.auth.accessKeyId(),
                Instant.now(),
                params,
                c.header("User-Agent")));
    }

    private Principal principalOf(String accessKeyId) {
        Session s = sessions.get(accessKeyId);
        if (s != null) {
            return new Principal(s.account(), s.arn());
        }
        Principal p = keys.get(accessKeyId);
        if (p != null) {
            return p;
        }
        Matcher m = ASIA_KEY.matcher(accessKeyId);
        if (m.matches()) {
            return new Principal(m.group(1), "arn:aws:sts::" + m.group(1) + ":assumed-role/FakeRole/fake-session");
        }
        return null;
    }

    /** Authenticates the request; on failure sends the protocol's error and returns false. */
    private boolean authenticate(Call c) throws IOException {
        if (c.auth == null) {
            switch (c.protocol) {
                case JSON -> sendError(c, 400, "MissingAuthenticationTokenException", "Missing Authentication Token");
                case REST_JSON ->
                    sendError(c, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
                case QUERY ->
                    sendError(c, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
                case S3 -> sendError(c, 403, "AccessDenied", "Access Denied");
            }
            return false;
        }
        String key = c.auth.accessKeyId();
        Principal p = principalOf(key);
        if (p == null) {
            switch (c.protocol) {
                case JSON, REST_JSON ->
                    sendError(
                            c,
                            c.protocol == Protocol.JSON ? 400 : 403,
                            "UnrecognizedClientException",
                            "The security token included in the request is invalid.");
                case QUERY ->
                    sendError(c, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
                case S3 ->
                    sendError(
                            c,
                            403,
                            "InvalidAccessKeyId",
                            "The AWS Access Key Id you provided does not exist in our records.",
                            Map.of("AWSAccessKeyId", key),
                            Map.of());
            }
            return false;
        }
        Session s = sessions.get(key);
        if (s != null && !s.sessionToken().equals(c.auth.securityToken())) {
            switch (c.protocol) {
                case JSON, REST_JSON ->
                    sendError(
                            c,
                            c.protocol == Protocol.JSON ? 400 : 403,
                            "UnrecognizedClientException",
                            "The security token included in the request is invalid.");
                case QUERY ->
                    sendError(c, 403, "InvalidClientTokenId", "The security token included in the request is invalid.");
                case S3 -> sendError(c, 400, "InvalidToken", "The provided token is malformed or otherwise invalid.");
            }
            return false;
        }
        if (s != null && stsNow().isAfter(s.expiration())) {
            sendFault(c, Fault.expiredToken());
            return false;
        }
        c.principal = p;
        return true;
    }

    /**
     * Holds every request of {@code operation} until the gate is opened: a slow source, without sleeping. A held
     * request waits at most {@link Gate#MAX_HOLD}, so a test that forgets to open it fails instead of hanging.
     */
    public Gate hold(String operation) {
        requireOperation(operation);
        Gate g = new Gate();
        gates.put(operation, g);
        return g;
    }

    /** Held requests of one operation: {@link #arrived} counts them, {@link #open} lets them through. */
    public static final class Gate implements AutoCloseable {
        static final Duration MAX_HOLD = Duration.ofMinutes(2);
        private final java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
        private final AtomicInteger arrived = new AtomicInteger();

        /** How many requests reached the gate so far. */
        public int arrived() {
            return arrived.get();
        }

        public void open() {
            open.countDown();
        }

        @Override
        public void close() {
            open();
        }

        void pass() {
            arrived.incrementAndGet();
            try {
                open.await(MAX_HOLD.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Applies an armed fault for the call's operation, if any; returns true when one was sent. */
    private boolean injectFault(Call c) throws IOException {
        Gate gate = gates.get(c.operation);
        if (gate != null) {
            gate.pass();
        }
        Fault f = null;
        synchronized (faults) {
            Deque<Armed> q = faults.get(c.operation);
            if (q != null && !q.isEmpty()) {
                Armed a = q.peek();
                f = a.fault;
                if (--a.remaining == 0) {
                    q.poll();
                }
            } else {
                f = standingFaults.get(c.operation);
            }
        }
        if (f == null) {
            return false;
        }
        sendFault(c, f);
        return true;
    }

    private void sendFault(Call c, Fault f) throws IOException {
        if (f.code().equals(DROP)) {
            c.ex.close();
            return;
        }
        if (f.code().equals(RAW)) {
            send(c, f.status(), f.headers().get("Content-Type"), f.message().getBytes(StandardCharsets.UTF_8));
            return;
        }
        Fault r = render(f, c.protocol);
        Principal p = c.principal != null ? c.principal : c.auth == null ? null : principalOf(c.auth.accessKeyId());
        String msg = r.message()
                .replace("{principal}", p == null ? "anonymous" : p.arn())
                .replace("{account}", p == null ? "" : p.account())
                .replace("{action}", c.action)
                .replace("{resource}", c.resource);
        sendError(c, r.status(), r.code(), msg, Map.of(), r.headers());
    }

    /** Re-shapes the canonical faults for the receiving protocol; others pass through. */
    private static Fault render(Fault f, Protocol p) {
        String kind = null;
        for (Map.Entry<String, Fault> e : Map.of(
                        "throttling",
                        Fault.throttling(),
                        "slowDown",
                        Fault.slowDown(),
                        "expired",
                        Fault.expiredToken(),
                        "denied",
                        Fault.accessDenied(),
                        "internal",
                        Fault.internalError())
                .entrySet()) {
            Fault k = e.getValue();
            if (k.status() == f.status()
                    && k.code().equals(f.code())
                    && k.message().equals(f.message())) {
                kind = e.getKey();
            }
        }
        if (kind == null) {
            return f;
        }
        Fault shaped = switch (kind) {
            case "throttling", "slowDown" ->
                switch (p) {
                    case JSON -> Fault.throttling();
                    case REST_JSON -> Fault.tooManyRequests();
                    case QUERY -> Fault.of(400, "Throttling", "Rate exceeded");
                    case S3 -> Fault.slowDown();
                };
            case "expired" ->
                switch (p) {
                    case JSON, REST_JSON -> Fault.expiredToken();
                    case QUERY ->
                        Fault.of(400, "ExpiredToken", "The security token included in the request is expired");
                    case S3 -> Fault.of(400, "ExpiredToken", "The provided token has expired.");
                };
            case "denied" ->
                switch (p) {
                    case JSON, REST_JSON -> Fault.accessDenied();
                    case QUERY ->
                        Fault.of(
                                403,
                                "AccessDenied",
                                "User: {principal} is not authorized to perform: {action} on resource: {resource}");
                    case S3 -> Fault.of(403, "AccessDenied", "Access Denied");
                };
            default ->
                switch (p) {
                    case JSON, REST_JSON, QUERY -> Fault.internalError();
                    case S3 -> Fault.of(500, "InternalError", "We encountered an internal error. Please try again.");
                };
        };
        return new Fault(shaped.status(), shaped.code(), shaped.message(), f.headers());
    }

    private void sendError(Call c, int status, String code, String message) throws IOException {
        sendError(c, status, code, message, Map.of(), Map.of());
    }

    private void sendError(
            Call c, int status, String code, String message, Map<String, String> s3Extra, Map<String, String> headers)
            throws IOException {
        Headers h = c.ex.getResponseHeaders();
        headers.forEach(h::set);
        switch (c.protocol) {
            case JSON -> {
                ObjectNode err = JSON.createObjectNode().put("__type", code).put("message", message);
                h.set("x-amzn-ErrorType", code);
                send(c, status, "application/x-amz-json-1.1", JSON.writeValueAsBytes(err));
            }
            case REST_JSON -> {
                // REST-JSON (Security Hub): the code in x-amzn-ErrorType, and Code and Message in the body
                ObjectNode err = JSON.createObjectNode().put("Code", code).put("Message", message);
                h.set("x-amzn-ErrorType", code);
                send(c, status, "application/json", JSON.writeValueAsBytes(err));
            }
            case QUERY -> {
                String xml = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n"
                        + "    <Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type>\n"
                        + "    <Code>" + esc(code) + "</Code>\n    <Message>" + esc(message) + "</Message>\n"
                        + "  </Error>\n  <RequestId>" + c.requestId + "</RequestId>\n</ErrorResponse>\n";
                send(c, status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
            }
            case S3 -> {
                StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>")
                        .append(esc(code))
                        .append("</Code><Message>")
                        .append(esc(message))
                        .append("</Message>");
                s3Extra.forEach((k, v) -> xml.append('<')
                        .append(k)
                        .append('>')
                        .append(esc(v))
                        .append("</")
                        .append(k)
                        .append('>'));
                xml.append("<RequestId>")
                        .append(s3RequestId(c))
                        .append("</RequestId><HostId>")
                        .append(s3HostId(c))
                        .append("</HostId></Error>");
                send(c, status, "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void send(Call c, int status, String contentType, byte[] body) throws IOException {
        Headers h = c.ex.getResponseHeaders();
        if (contentType != null) {
            h.set("Content-Type", contentType);
        }
        if (c.protocol == Protocol.S3) {
            h.set("x-amz-request-id", s3RequestId(c));
            h.set("x-amz-id-2", s3HostId(c));
        } else {
            h.set("x-amzn-RequestId", c.requestId);
        }
        if (trace) {
            System.err.printf(
                    "FakeAws -> %d %s %s%n",
                    status, h.entrySet(), new String(body, 0, Math.min(body.length, 2000), StandardCharsets.UTF_8));
        }
        if (c.isHead()) {
            // No body on HEAD; the JDK server keeps a Content-Length header set by the caller (HeadObject sets it).
            c.ex.sendResponseHeaders(status, -1);
            return;
        }
        c.ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = c.ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String s3RequestId(Call c) {
        return c.requestId.replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
    }

    private static String s3HostId(Call c) {
        return Base64.getEncoder().encodeToString(c.requestId.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------------------
    // awsJson1_1: CloudTrail, Secrets Manager

    private void handleJson(Call c, String target) throws IOException {
        int dot = target.lastIndexOf('.');
        c.operation = target.substring(dot + 1);
        String prefix = dot < 0 ? "" : target.substring(0, dot);
        JsonNode parsed;
        try {
            parsed = c.body.length == 0 ? JSON.createObjectNode() : JSON.readTree(c.body);
        } catch (IOException e) {
            record(c, Map.of());
            sendError(c, 400, "SerializationException", "Malformed request body");
            return;
        }
        ObjectNode in = parsed instanceof ObjectNode o ? o : JSON.createObjectNode();
        Map<String, String> params = new LinkedHashMap<>();
        in.properties().forEach(e -> params.put(e.getKey(), paramText(e.getValue())));
        record(c, params);
        String service = prefix.startsWith("com.amazonaws.cloudtrail")
                ? "cloudtrail"
                : prefix.equals("secretsmanager")
                        ? "secretsmanager"
                        : prefix.equals("AWSInsightsIndexService") ? "ce" : prefix;
        c.action = service + ":" + c.operation;
        if (!authenticate(c) || injectFault(c)) {
            return;
        }
        String region = c.auth.region();
        switch (c.action) {
            case "cloudtrail:LookupEvents" -> lookupEvents(c, in, cloudTrail(c.principal.account(), region));
            case "secretsmanager:ListSecrets" -> listSecrets(c, in, secrets(c.principal.account(), region));
            case "secretsmanager:DescribeSecret" -> describeSecret(c, in, secrets(c.principal.account(), region));
            case "secretsmanager:GetResourcePolicy" -> getResourcePolicy(c, in, secrets(c.principal.account(), region));
            case "ce:GetCostAndUsage" -> getCostAndUsage(c, in);
            default -> sendError(c, 400, "UnknownOperationException", "FakeAws does not implement " + target);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // REST-JSON: Security Hub

    /**
     * {@code POST /findings/import}: signed for {@code securityhub}, by the account of each finding; recorded with
     * how many findings came and their ids, accounts and record states.
     */
    private void batchImportFindings(Call c) throws IOException {
        c.operation = "BatchImportFindings";
        c.action = "securityhub:BatchImportFindings";
        JsonNode in;
        try {
            in = c.body.length == 0 ? JSON.createObjectNode() : JSON.readTree(c.body);
        } catch (IOException e) {
            record(c, Map.of());
            sendError(c, 400, "InvalidInputException", "Malformed request body");
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode list = in.path("Findings");
        params.put("FindingCount", String.valueOf(list.size()));
        params.put("Ids", joined(list, "Id"));
        params.put("AwsAccountIds", joined(list, "AwsAccountId"));
        params.put("RecordStates", joined(list, "RecordState"));
        record(c, params);
        if (!authenticate(c)) {
            return;
        }
        if (!"securityhub".equals(c.auth.service())) {
            sendError(
                    c,
                    403,
                    "InvalidSignatureException",
                    "Credential should be scoped to correct service: 'securityhub'.");
            return;
        }
        if (injectFault(c)) {
            return;
        }
        SecurityHubFindings.Refusal r = SecurityHubFindings.check(in);
        if (r != null) {
            sendError(c, r.status(), r.code(), r.message());
            return;
        }
        ObjectNode out = securityHub.importAs(c.principal.account(), c.auth.region(), in);
        send(c, 200, "application/json", JSON.writeValueAsBytes(out));
    }

    private static String joined(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(f -> out.add(f.path(field).asText("")));
        return String.join(",", out);
    }

    private void lookupEvents(Call c, ObjectNode in, CloudTrailEvents store) throws IOException {
        int max = in.has("MaxResults") ? in.get("MaxResults").asInt() : 50;
        if (max < 1 || max > 50) {
            sendError(c, 400, "InvalidMaxResultsException", "Value for MaxResults is invalid.");
            return;
        }
        Long start = in.has("StartTime") ? epochSecond(in.get("StartTime")) : null;
        Long end = in.has("EndTime") ? epochSecond(in.get("EndTime")) : null;
        if (start != null && end != null && start > end) {
            sendError(c, 400, "InvalidTimeRangeException", "Start time must be before end time.");
            return;
        }
        JsonNode attrs = in.path("LookupAttributes");
        if (attrs.size() > 1) {
            sendError(c, 400, "InvalidLookupAttributesException", "You can specify only one lookup attribute.");
            return;
        }
        String attrKey = null;
        String attrValue = null;
        if (attrs.size() == 1) {
            attrKey = text(attrs.get(0), "AttributeKey");
            attrValue = text(attrs.get(0), "AttributeValue");
            Set<String> valid = Set.of(
                    "EventId",
                    "EventName",
                    "ReadOnly",
                    "Username",
                    "ResourceType",
                    "ResourceName",
                    "EventSource",
                    "AccessKeyId");
            if (attrKey == null || !valid.contains(attrKey) || attrValue == null) {
                sendError(c, 400, "InvalidLookupAttributesException", "Lookup attribute key or value is invalid.");
                return;
            }
        }
        boolean insights = "insight".equals(text(in, "EventCategory"));
        String filterId = attrKey + "=" + attrValue + "|" + start + "|" + end + "|" + insights;

        StoredEvent after = null;
        String token = text(in, "NextToken");
        if (token != null) {
            String[] t = decodeToken(token, "ct1", 4);
            if (t == null || !t[3].equals(Integer.toHexString(filterId.hashCode()))) {
                sendError(c, 400, "InvalidNextTokenException", "Invalid NextToken.");
                return;
            }
            after = new StoredEvent(
                    t[2], Instant.ofEpochSecond(Long.parseLong(t[1])), null, null, null, null, null, null);
        }
        List<StoredEvent> matches = new ArrayList<>();
        if (!insights) {
            for (StoredEvent e : store.snapshot()) {
                long sec = e.time().getEpochSecond();
                if ((start != null && sec < start) || (end != null && sec > end)) {
                    continue;
                }
                if (attrKey != null && !attrValue.equals(e.attribute(attrKey))) {
                    continue;
                }
                if (after != null && StoredEvent.NEWEST_FIRST.compare(e, after) <= 0) {
                    continue;
                }
                matches.add(e);
            }
        }
        matches.sort(StoredEvent.NEWEST_FIRST);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode events = out.putArray("Events");
        for (StoredEvent e : matches.subList(0, Math.min(max, matches.size()))) {
            ObjectNode o = events.addObject();
            o.put("EventId", e.eventId());
            o.put("EventName", e.eventName());
            o.put("ReadOnly", e.readOnly());
            if (e.accessKeyId() != null) {
                o.put("AccessKeyId", e.accessKeyId());
            }
            o.put("EventTime", e.time().getEpochSecond());
            o.put("EventSource", e.eventSource());
            if (e.username() != null) {
                o.put("Username", e.username());
            }
            o.putArray("Resources");
            o.put("CloudTrailEvent", e.raw());
        }
        if (matches.size() > max) {
            StoredEvent last = matches.get(max - 1);
            out.put(
                    "NextToken",
                    encodeToken(
                            "ct1",
                            Long.toString(last.time().getEpochSecond()),
                            last.eventId(),
                            Integer.toHexString(filterId.hashCode())));
        }
        send(c, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(out));
    }

    private static final Set<String> CE_DIMENSIONS =
            Set.of("LINKED_ACCOUNT", "REGION", "SERVICE", "USAGE_TYPE", "RECORD_TYPE");

    private void getCostAndUsage(Call c, ObjectNode in) throws IOException {
        java.time.LocalDate start;
        java.time.LocalDate end;
        try {
            start = java.time.LocalDate.parse(
                    in.path("TimePeriod").path("Start").asText());
            end = java.time.LocalDate.parse(in.path("TimePeriod").path("End").asText());
        } catch (DateTimeParseException e) {
            sendError(c, 400, "ValidationException", "TimePeriod Start and End must be dates (yyyy-MM-dd)");
            return;
        }
        if (!start.isBefore(end)) {
            sendError(c, 400, "ValidationException", "Start date must be before end date");
            return;
        }
        if (!"DAILY".equals(text(in, "Granularity"))) {
            sendError(c, 400, "ValidationException", "FakeAws implements only DAILY granularity");
            return;
        }
        if (!in.path("Metrics").isArray() || in.path("Metrics").isEmpty()) {
            sendError(c, 400, "ValidationException", "Metrics is required");
            return;
        }
        JsonNode groupBy = in.path("GroupBy");
        if (groupBy.size() > 2) {
            sendError(c, 400, "ValidationException", "You can only group by up to two dimensions");
            return;
        }
        List<String> groupKeys = new ArrayList<>();
        for (JsonNode g : groupBy) {
            if (!"DIMENSION".equals(text(g, "Type")) || !CE_DIMENSIONS.contains(text(g, "Key"))) {
                sendError(c, 400, "ValidationException", "FakeAws does not implement GroupBy " + g);
                return;
            }
            groupKeys.add(text(g, "Key"));
        }
        List<JsonNode> dims = new ArrayList<>();
        JsonNode filter = in.path("Filter");
        if (filter.has("And")) {
            filter.get("And").forEach(f -> dims.add(f.path("Dimensions")));
        } else if (filter.has("Dimensions")) {
            dims.add(filter.get("Dimensions"));
        } else if (!filter.isMissingNode() && !filter.isEmpty()) {
            sendError(c, 400, "ValidationException", "FakeAws does not implement Filter " + filter);
            return;
        }
        for (JsonNode d : dims) {
            if (!CE_DIMENSIONS.contains(text(d, "Key")) || !d.path("Values").isArray()) {
                sendError(c, 400, "ValidationException", "FakeAws does not implement the filter " + d);
                return;
            }
        }
        long days = java.time.temporal.ChronoUnit.DAYS.between(start, end);
        int perPage = costExplorer.pageDays();
        String filterId = Integer.toHexString((in.path("TimePeriod").toString() + filter + groupBy).hashCode());
        long from = 0;
        String token = text(in, "NextPageToken");
        if (token != null) {
            String[] t = decodeToken(token, "ce1", 3);
            if (t == null || !t[2].equals(filterId)) {
                sendError(c, 400, "InvalidNextTokenException", "The NextPageToken is invalid.");
                return;
            }
            from = Long.parseLong(t[1]);
        }
        List<CostExplorerData.Row> rows = costExplorer.snapshot();
        ObjectNode out = JSON.createObjectNode();
        out.putArray("GroupDefinitions").addAll((ArrayNode) (groupBy.isArray() ? groupBy : JSON.createArrayNode()));
        ArrayNode results = out.putArray("ResultsByTime");
        long to = Math.min(days, from + perPage);
        for (long i = from; i < to; i++) {
            java.time.LocalDate day = start.plusDays(i);
            Map<List<String>, BigDecimal[]> groups = new TreeMap<>(Comparator.comparing(Object::toString));
            for (CostExplorerData.Row r : rows) {
                if (!r.day().equals(day)) {
                    continue;
                }
                boolean keep = true;
                for (JsonNode d : dims) {
                    boolean any = false;
                    for (JsonNode v : d.path("Values")) {
                        any |= v.asText().equals(r.dimension(text(d, "Key")));
                    }
                    keep &= any;
                }
                if (!keep) {
                    continue;
                }
                List<String> key = groupKeys.stream().map(r::dimension).toList();
                BigDecimal[] acc =
                        groups.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                acc[0] = acc[0].add(r.cost());
                acc[1] = acc[1].add(r.quantity());
            }
            ObjectNode result = results.addObject();
            result.putObject("TimePeriod")
                    .put("Start", day.toString())
                    .put("End", day.plusDays(1).toString());
            result.putObject("Total");
            ArrayNode gs = result.putArray("Groups");
            groups.forEach((k, v) -> {
                ObjectNode g = gs.addObject();
                ArrayNode keys = g.putArray("Keys");
                k.forEach(keys::add);
                ObjectNode metrics = g.putObject("Metrics");
                metrics.putObject("UnblendedCost")
                        .put("Amount", v[0].toPlainString())
                        .put("Unit", "USD");
                metrics.putObject("UsageQuantity")
                        .put("Amount", v[1].toPlainString())
                        .put("Unit", "N/A");
            });
            result.put("Estimated", false);
        }
        out.putArray("DimensionValueAttributes");
        if (to < days) {
            out.put("NextPageToken", encodeToken("ce1", Long.toString(to), filterId));
        }
        send(c, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(costExplorer.page(out)));
    }

    private void listSecrets(Call c, ObjectNode in, Secrets store) throws IOException {
        if (in.has("Filters") || in.has("SortOrder") || in.has("SortBy")) {
            // Not implemented here: fail loudly rather than return an unfiltered list.
            sendError(c, 400, "InvalidParameterException", "FakeAws does not implement ListSecrets Filters/Sort*");
            return;
        }
        int max = in.has("MaxResults") ? in.get("MaxResults").asInt() : 100;
        if (max < 1 || max > 100) {
            sendError(
                    c,
                    400,
                    "ValidationException",
                    "1 validation error detected: Value '" + max
                            + "' at 'maxResults' failed to satisfy constraint: Member must have value "
                            + (max < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
            return;
        }
        boolean includeDeleted = in.path("IncludePlannedDeletion").asBoolean(false);
        long afterSeq = -1;
        String token = text(in, "NextToken");
        if (token != null) {
            String[] t = decodeToken(token, "sm1", 3);
            if (t == null || !t[2].equals(Boolean.toString(includeDeleted))) {
                sendError(c, 400, "InvalidNextTokenException", "The NextToken value is invalid.");
                return;
            }
            afterSeq = Long.parseLong(t[1]);
        }
        List<Map.Entry<Long, ObjectNode>> matches = new ArrayList<>();
        for (Map.Entry<Long, ObjectNode> e : store.snapshot()) {
            if (e.getKey() > afterSeq && (includeDeleted || !e.getValue().has("DeletedDate"))) {
                matches.add(e);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("SecretList");
        matches.subList(0, Math.min(max, matches.size())).forEach(e -> list.add(e.getValue()));
        if (matches.size() > max) {
            out.put(
                    "NextToken",
                    encodeToken("sm1", Long.toString(matches.get(max - 1).getKey()), Boolean.toString(includeDeleted)));
        }
        send(c, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(out));
    }

    /**
     * DescribeSecret: the secret's fields as ListSecrets gives them, plus ReplicationStatus on a primary with
     * replicas (left out otherwise); ResourceNotFoundException for a secret that does not exist.
     */
    private void describeSecret(Call c, ObjectNode in, Secrets store) throws IOException {
        String id = text(in, "SecretId");
        ObjectNode secret = id == null ? null : store.find(id);
        if (secret == null) {
            sendError(c, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            return;
        }
        JsonNode replicas = store.replication(text(secret, "ARN"));
        if (replicas != null && !replicas.isEmpty()) {
            secret.set("ReplicationStatus", replicas);
        }
        send(c, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(secret));
    }

    /**
     * GetResourcePolicy as the API reference shows it: {@code {"ARN", "Name", "ResourcePolicy"}}, the policy a JSON
     * string, left out when the secret has none; ResourceNotFoundException for a secret that does not exist.
     */
    private void getResourcePolicy(Call c, ObjectNode in, Secrets store) throws IOException {
        String id = text(in, "SecretId");
        if (id == null || id.isEmpty()) {
            sendError(
                    c,
                    400,
                    "ValidationException",
                    "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must"
                            + " not be null");
            return;
        }
        ObjectNode secret = store.find(id);
        if (secret == null) {
            sendError(c, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("ARN", text(secret, "ARN"));
        out.put("Name", text(secret, "Name"));
        String policy = store.policy(text(secret, "ARN"));
        if (policy != null) {
            out.put("ResourcePolicy", policy);
        }
        send(c, 200, "application/x-amz-json-1.1", JSON.writeValueAsBytes(out));
    }

    // ------------------------------------------------------------------------------------------------------------
    // awsQuery: STS

    private void handleQuery(Call c) throws IOException {
        Map<String, String> form = parseForm(new String(c.body, StandardCharsets.UTF_8));
        form.putAll(c.query);
        c.operation = Objects.toString(form.get("Action"), "Unknown");
        record(c, form);
        c.action = "sts:" + c.operation;
        if ("AssumeRole".equals(c.operation)) {
            c.resource = Objects.toString(form.get("RoleArn"), "*");
        }
        if (!authenticate(c) || injectFault(c)) {
            return;
        }
        if (!"2011-06-15".equals(form.get("Version"))) {
            sendError(
                    c,
                    400,
                    "InvalidAction",
                    "Could not find operation " + c.operation + " for version " + form.get("Version"));
            return;
        }
        switch (c.operation) {
            case "AssumeRole" -> assumeRole(c, form);
            case "GetCallerIdentity" -> getCallerIdentity(c);
            default ->
                sendError(
                        c, 400, "InvalidAction", "Could not find operation " + c.operation + " for version 2011-06-15");
        }
    }

    private void assumeRole(Call c, Map<String, String> form) throws IOException {
        String roleArn = form.get("RoleArn");
        String sessionName = form.get("RoleSessionName");
        if (roleArn == null || sessionName == null) {
            sendError(
                    c,
                    400,
                    "MissingParameter",
                    "The request must contain the parameter " + (roleArn == null ? "RoleArn" : "RoleSessionName"));
            return;
        }
        Matcher m = ROLE_ARN.matcher(roleArn);
        if (!m.matches()) {
            sendError(c, 400, "ValidationError", roleArn + " is invalid");
            return;
        }
        if (!sessionName.matches("[\\w+=,.@-]*") || sessionName.length() < 2 || sessionName.length() > 64) {
            sendError(
                    c,
                    400,
                    "ValidationError",
                    "1 validation error detected: Value '" + sessionName
                            + "' at 'roleSessionName' failed to satisfy constraint: Member must "
                            + (sessionName.length() < 2
                                    ? "have length greater than or equal to 2"
                                    : sessionName.length() > 64
                                            ? "have length less than or equal to 64"
                                            : "satisfy regular expression pattern: [\\w+=,.@-]*"));
            return;
        }
        Duration lifetime = assumeRoleDuration;
        if (lifetime == null) {
            long seconds = 3600;
            if (form.containsKey("DurationSeconds")) {
                seconds = Long.parseLong(form.get("DurationSeconds"));
                if (seconds < 900 || seconds > 43200) {
                    sendError(
                            c,
                            400,
                            "ValidationError",
                            "1 validation error detected: Value '" + seconds
                                    + "' at 'durationSeconds' failed to satisfy constraint: Member must have value "
                                    + (seconds < 900 ? "greater than or equal to 900" : "less than or equal to 43200"));
                    return;
                }
            }
            lifetime = Duration.ofSeconds(seconds);
        }
        String required = requiredExternalIds.get(roleArn);
        if (required != null && !required.equals(form.get("ExternalId"))) {
            sendFault(c, Fault.accessDenied());
            return;
        }
        String account = m.group(1);
        String role = m.group(2);
        String accessKeyId = "ASIA" + account + randomAlnum(4);
        String secret = randomBase64(30);
        String token = "FwoGZXIvYXdzE" + randomBase64(180);
        // STS reports whole seconds; round up so the credentials live at least the requested time.
        Instant exact = stsNow().plus(lifetime);
        Instant expiration = exact.truncatedTo(ChronoUnit.SECONDS);
        if (expiration.isBefore(exact)) {
            expiration = expiration.plusSeconds(1);
        }
        String arn = "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + sessionName;
        sessions.put(accessKeyId, new Session(account, arn, secret, token, expiration));
        String roleId = "AROA" + randomAlnum(17);
        String xml = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                + "  <AssumeRoleResult>\n"
                + (form.containsKey("SourceIdentity")
                        ? "    <SourceIdentity>" + esc(form.get("SourceIdentity")) + "</SourceIdentity>\n"
                        : "")
                + "    <AssumedRoleUser>\n"
                + "      <Arn>" + esc(arn) + "</Arn>\n"
                + "      <AssumedRoleId>" + roleId + ":" + esc(sessionName) + "</AssumedRoleId>\n"
                + "    </AssumedRoleUser>\n"
                + "    <Credentials>\n"
                + "      <AccessKeyId>" + accessKeyId + "</AccessKeyId>\n"
                + "      <SecretAccessKey>" + esc(secret) + "</SecretAccessKey>\n"
                + "      <SessionToken>" + esc(token) + "</SessionToken>\n"
                + "      <Expiration>" + DateTimeFormatter.ISO_INSTANT.format(expiration) + "</Expiration>\n"
                + "    </Credentials>\n"
                + "    <PackedPolicySize>6</PackedPolicySize>\n"
                + "  </AssumeRoleResult>\n"
                + "  <ResponseMetadata>\n    <RequestId>" + c.requestId + "</RequestId>\n  </ResponseMetadata>\n"
                + "</AssumeRoleResponse>\n";
        send(c, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    private void getCallerIdentity(Call c) throws IOException {
        String arn = c.principal.arn();
        String userId = arn.contains(":assumed-role/")
                ? "AROA" + c.principal.account() + "FAKE:" + arn.substring(arn.lastIndexOf('/') + 1)
                : "AIDA" + c.principal.account() + "FAKE";
        String xml = "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
                + "  <GetCallerIdentityResult>\n"
                + "    <Arn>" + esc(arn) + "</Arn>\n"
                + "    <UserId>" + esc(userId) + "</UserId>\n"
                + "    <Account>" + c.principal.account() + "</Account>\n"
                + "  </GetCallerIdentityResult>\n"
                + "  <ResponseMetadata>\n    <RequestId>" + c.requestId + "</RequestId>\n  </ResponseMetadata>\n"
                + "</GetCallerIdentityResponse>\n";
        send(c, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------------------
    // REST-XML: S3 (path-style)

    private void handleS3(Call c) throws IOException {
        String path = percentDecode(Objects.toString(c.ex.getRequestURI().getRawPath(), "/"));
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 || slash == rest.length() - 1 ? null : rest.substring(slash + 1);
        String method = c.ex.getRequestMethod();
        Map<String, String> params = new LinkedHashMap<>();
        if (!bucket.isEmpty()) {
            params.put("bucket", bucket);
        }
        if (key != null) {
            params.put("key", key);
        }
        c.query.forEach((k, v) -> {
            if (!k.startsWith("X-Amz-")) {
                params.put(k, v);
            }
        });
        if (bucket.isEmpty()) {
            c.operation = "ListBuckets";
        } else if (key == null) {
            c.operation = "GET".equals(method) && "2".equals(c.query.get("list-type"))
                    ? "ListObjectsV2"
                    : "HEAD".equals(method) ? "HeadBucket" : method + "Bucket";
            c.action = "s3:ListBucket";
            c.resource = "arn:aws:s3:::" + bucket;
        } else {
            c.operation = "GET".equals(method) ? "GetObject" : "HEAD".equals(method) ? "HeadObject" : method + "Object";
            c.action = "s3:GetObject";
            c.resource = "arn:aws:s3:::" + bucket + "/" + key;
        }
        record(c, params);
        if (!authenticate(c) || injectFault(c)) {
            return;
        }
        switch (c.operation) {
            case "ListObjectsV2" -> listObjectsV2(c, bucket);
            case "HeadBucket" -> {
                if (s3.bucket(bucket) == null) {
                    sendError(
                            c,
                            404,
                            "NoSuchBucket",
                            "The specified bucket does not exist",
                            Map.of("BucketName", bucket),
                            Map.of());
                } else {
                    c.ex.getResponseHeaders().set("x-amz-bucket-region", c.auth.region());
                    send(c, 200, null, new byte[0]);
                }
            }
            case "GetObject", "HeadObject" -> getObject(c, bucket, key);
            default ->
                sendError(
                        c,
                        501,
                        "NotImplemented",
                        "A header you provided implies functionality that is not implemented",
                        Map.of(),
                        Map.of());
        }
    }

    private void listObjectsV2(Call c, String bucket) throws IOException {
        NavigableMap<String, S3Object> objects = s3.bucket(bucket);
        if (objects == null) {
            sendError(
                    c,
                    404,
                    "NoSuchBucket",
                    "The specified bucket does not exist",
                    Map.of("BucketName", bucket),
                    Map.of());
            return;
        }
        String prefix = Objects.toString(c.query.get("prefix"), "");
        String delimiter = Objects.toString(c.query.get("delimiter"), "");
        String startAfter = c.query.get("start-after");
        String token = c.query.get("continuation-token");
        boolean urlEncode = "url".equals(c.query.get("encoding-type"));
        int max;
        try {
            max = c.query.containsKey("max-keys") ? Integer.parseInt(c.query.get("max-keys")) : 1000;
        } catch (NumberFormatException e) {
            max = -1;
        }
        if (max < 0) {
            sendError(
                    c,
                    400,
                    "InvalidArgument",
                    "Provided max-keys not an integer or within integer range",
                    Map.of("ArgumentName", "max-keys", "ArgumentValue", c.query.get("max-keys")),
                    Map.of());
            return;
        }
        max = Math.min(max, s3.maxKeysCap());

        String after = null;
        String skipPrefix = null;
        if (token != null) {
            String[] t = decodeToken(token, "s31", 3);
            if (t == null) {
                sendError(
                        c,
                        400,
                        "InvalidArgument",
                        "The continuation token provided is incorrect",
                        Map.of("ArgumentName", "continuation-token"),
                        Map.of());
                return;
            }
            after = t[2];
            if (t[1].equals("P")) {
                skipPrefix = t[2];
            }
        } else if (startAfter != null && !startAfter.isEmpty()) {
            after = startAfter;
        }
        NavigableMap<String, S3Object> tail = after == null ? objects : objects.tailMap(after, false);
        if (!prefix.isEmpty() && (after == null || compareUtf8(prefix, after) > 0)) {
            tail = objects.tailMap(prefix, true);
        }
        List<Map.Entry<String, S3Object>> contents = new ArrayList<>();
        List<String> common = new ArrayList<>();
        String lastCommon = null;
        String next = null;
        boolean truncated = false;
        int count = 0;
        for (Iterator<Map.Entry<String, S3Object>> it = tail.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, S3Object> e = it.next();
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                if (compareUtf8(key, prefix) > 0) {
                    break;
                }
                continue;
            }
            if (skipPrefix != null && key.startsWith(skipPrefix)) {
                continue;
            }
            String cp = null;
            if (!delimiter.isEmpty()) {
                int i = key.indexOf(delimiter, prefix.length());
                if (i >= 0) {
                    cp = key.substring(0, i + delimiter.length());
                    if (cp.equals(lastCommon)) {
                        continue;
                    }
                }
            }
            if (count == max) {
                truncated = true;
                break;
            }
            count++;
            if (cp != null) {
                common.add(cp);
                lastCommon = cp;
                next = encodeToken("s31", "P", cp);
            } else {
                contents.add(e);
                next = encodeToken("s31", "K", key);
            }
        }
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        el(x, "Name", bucket);
        el(x, "Prefix", enc(prefix, urlEncode));
        if (startAfter != null) {
            el(x, "StartAfter", enc(startAfter, urlEncode));
        }
        el(x, "KeyCount", Integer.toString(count));
        el(x, "MaxKeys", Integer.toString(max));
        if (!delimiter.isEmpty()) {
            el(x, "Delimiter", enc(delimiter, urlEncode));
        }
        el(x, "IsTruncated", Boolean.toString(truncated));
        if (token != null) {
            el(x, "ContinuationToken", token);
        }
        if (truncated) {
            el(x, "NextContinuationToken", next);
        }
        for (Map.Entry<String, S3Object> e : contents) {
            S3Object o = e.getValue();
            x.append("<Contents>");
            el(x, "Key", enc(e.getKey(), urlEncode));
            el(x, "LastModified", S3_DATE.format(o.lastModified()));
            el(x, "ETag", o.etag());
            el(x, "Size", Integer.toString(o.body().length));
            el(x, "StorageClass", "STANDARD");
            x.append("</Contents>");
        }
        for (String cp : common) {
            x.append("<CommonPrefixes>");
            el(x, "Prefix", enc(cp, urlEncode));
            x.append("</CommonPrefixes>");
        }
        if (urlEncode) {
            el(x, "EncodingType", "url");
        }
        x.append("</ListBucketResult>");
        send(c, 200, "application/xml", x.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void getObject(Call c, String bucket, String key) throws IOException {
        if (s3.bucket(bucket) == null) {
            sendError(
                    c,
                    404,
                    "NoSuchBucket",
                    "The specified bucket does not exist",
                    Map.of("BucketName", bucket),
                    Map.of());
            return;
        }
        S3Object o = s3.object(bucket, key);
        if (o == null) {
            sendError(c, 404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", key), Map.of());
            return;
        }
        Headers h = c.ex.getResponseHeaders();
        h.set("ETag", o.etag());
        h.set("Last-Modified", HTTP_DATE.format(o.lastModified()));
        h.set("Accept-Ranges", "bytes");
        byte[] body = o.body();
        int status = 200;
        String range = c.header("Range");
        if (range != null) {
            long[] r = parseRange(range, body.length);
            if (r == null) {
                h.remove("ETag");
                h.remove("Last-Modified");
                sendError(
                        c,
                        416,
                        "InvalidRange",
                        "The requested range is not satisfiable",
                        Map.of("RangeRequested", range, "ActualObjectSize", Integer.toString(body.length)),
                        Map.of());
                return;
            }
            h.set("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + body.length);
            body = Arrays.copyOfRange(body, (int) r[0], (int) r[1] + 1);
            status = 206;
        } else if ("ENABLED".equalsIgnoreCase(c.header("x-amz-checksum-mode"))) {
            h.set(
                    "x-amz-checksum-crc32",
                    Base64.getEncoder()
                            .encodeToString(
                                    ByteBuffer.allocate(4).putInt(o.crc32()).array()));
            h.set("x-amz-checksum-type", "FULL_OBJECT");
        }
        h.set("Content-Length", Integer.toString(body.length));
        if (c.isHead()) {
            send(c, status, "application/octet-stream", new byte[0]);
        } else {
            send(c, status, "application/octet-stream", body);
        }
    }

    private static long[] parseRange(String header, long size) {
        Matcher m = Pattern.compile("^bytes=(\\d*)-(\\d*)$").matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty()) || size == 0) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            first = Math.max(0, size - Long.parseLong(m.group(2)));
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        }
        return first >= size || first > last ? null : new long[] {first, last};
    }

    // ------------------------------------------------------------------------------------------------------------
    // helpers

    private static Auth parseAuth(Headers headers, Map<String, String> query) {
        String credential = null;
        String authorization = headers.getFirst("Authorization");
        if (authorization != null) {
            int i = authorization.indexOf("Credential=");
            if (i >= 0) {
                int end = authorization.indexOf(',', i);
                credential = authorization
                        .substring(i + "Credential=".length(), end < 0 ? authorization.length() : end)
                        .trim();
            }
        } else {
            credential = query.get("X-Amz-Credential");
        }
        if (credential == null) {
            return null;
        }
        String[] p = credential.split("/");
        if (p.length != 5 || !"aws4_request".equals(p[4])) {
            return null;
        }
        String token = headers.getFirst("X-Amz-Security-Token");
        if (token == null) {
            token = query.get("X-Amz-Security-Token");
        }
        return new Auth(p[0], p[2], p[3], token);
    }

    private static Map<String, String> parseForm(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** RFC 3986 percent-decoding of a path ('+' stays '+'). */
    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '%' && i + 2 < b.length) {
                out.write(Integer.parseInt(new String(b, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Orders strings as their UTF-8 bytes (= Unicode code point order), as S3 lists keys. */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static String encodeToken(String... parts) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeToken(String token, String kind, int parts) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\u0000", -1);
            return p.length == parts && p[0].equals(kind) ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Epoch seconds (possibly fractional) truncated to whole seconds. */
    private static long epochSecond(JsonNode n) {
        BigDecimal d = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText());
        return d.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** Scalars as text (numbers in plain notation, e.g. 1772323200.5), anything else as compact JSON. */
    private static String paramText(JsonNode v) {
        if (v.isNumber()) {
            return v.decimalValue().stripTrailingZeros().toPlainString();
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void el(StringBuilder x, String name, String value) {
        x.append('<')
                .append(name)
                .append('>')
                .append(esc(value))
                .append("</")
                .append(name)
                .append('>');
    }

    private static String enc(String s, boolean url) {
        return url ? URLEncoder.encode(s, StandardCharsets.UTF_8) : s;
    }

    private static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\r' -> b.append("&#13;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static byte[] md5(byte[] body) {
        try {
            return MessageDigest.getInstance("MD5").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomAlnum(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
        }
        return b.toString();
    }

    private String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static void requireAccount(String account) {
        if (account == null || !account.matches("\\d{12}")) {
            throw new IllegalArgumentException("account must be 12 digits: " + account);
        }
    }

    private static void requireOperation(String operation) {
        if (!OPERATIONS.contains(operation)) {
            throw new IllegalArgumentException("unknown operation " + operation + "; one of " + OPERATIONS);
        }
    }
}
