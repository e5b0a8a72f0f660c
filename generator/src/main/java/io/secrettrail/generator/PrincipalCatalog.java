package io.secrettrail.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The callers of both accounts: roles with paths and varied sessions, users, root and a service. */
final class PrincipalCatalog {
    private final List<Principal> all = new ArrayList<>();
    private final List<List<Principal>> byAccount = new ArrayList<>();
    private final Principal[] ciRole;
    private final Principal[] adminRole;
    private final Principal[] hostileUser;
    private final Principal[] kmsCaller;
    private final Principal crossAccountReader;

    PrincipalCatalog(SplittableRandom rng) {
        int n = Topology.ACCOUNTS.size();
        ciRole = new Principal[n];
        adminRole = new Principal[n];
        hostileUser = new Principal[n];
        kmsCaller = new Principal[n];
        for (int a = 0; a < n; a++) {
            byAccount.add(new ArrayList<>());
            String sso = "AWSReservedSSO_AdministratorAccess_" + RandomText.hex(rng, 16);
            role(
                    rng,
                    a,
                    "payments-api-task",
                    "/service-role/ecs/",
                    taskIds(rng),
                    ips(rng, "10.20."),
                    new String[] {UserAgents.JAVA},
                    false,
                    false);
            kmsCaller[a] = role(
                    rng,
                    a,
                    "order-service-ec2",
                    "/",
                    instanceIds(rng),
                    ips(rng, "10.0."),
                    new String[] {UserAgents.JAVA, UserAgents.BOTO},
                    false,
                    false);
            ciRole[a] = role(
                    rng,
                    a,
                    "ci-deployer",
                    "/ci/",
                    new String[] {"GitHubActions", "gha-run-" + (8_000_000_000L + rng.nextLong(1_000_000_000L))},
                    publicIps(rng),
                    new String[] {UserAgents.TERRAFORM, UserAgents.CLI},
                    false,
                    false);
            adminRole[a] = role(
                    rng,
                    a,
                    sso,
                    "/aws-reserved/sso.amazonaws.com/",
                    new String[] {"alice.martin@example.com", "bob.nguyen@example.com"},
                    publicIps(rng),
                    new String[] {UserAgents.CONSOLE, UserAgents.CLI_MAC},
                    false,
                    true);
            role(
                    rng,
                    a,
                    "lambda-rotation-role",
                    "/service-role/",
                    new String[] {"rotate-db-password"},
                    ips(rng, "10.40."),
                    new String[] {UserAgents.BOTO},
                    false,
                    false);
            role(
                    rng,
                    a,
                    "reporting-batch",
                    "/",
                    new String[] {"botocore-session-" + (1_700_000_000 + rng.nextInt(90_000_000))},
                    ips(rng, "10.60."),
                    new String[] {UserAgents.BOTO, UserAgents.GO},
                    false,
                    false);
            user(rng, a, "deploy-bot", publicIps(rng), new String[] {UserAgents.CLI, UserAgents.TERRAFORM});
            hostileUser[a] = user(rng, a, "legacy-app", publicIps(rng), new String[] {
                UserAgents.GO, UserAgents.GO, UserAgents.GO, UserAgents.HOSTILE
            });
            user(rng, a, "analytics-reader", publicIps(rng), new String[] {UserAgents.BOTO});
            add(new Principal(
                    all.size(),
                    Principal.Type.ROOT,
                    a,
                    "arn:aws:iam::" + Topology.ACCOUNTS.get(a) + ":root",
                    "root",
                    Topology.ACCOUNTS.get(a),
                    "AKIA" + RandomText.upperAlnum(rng, 16),
                    null,
                    null,
                    publicIps(rng),
                    new String[] {UserAgents.CONSOLE},
                    false,
                    true));
            String rds = "rds.amazonaws.com";
            add(new Principal(
                    all.size(),
                    Principal.Type.AWS_SERVICE,
                    a,
                    rds,
                    rds,
                    null,
                    null,
                    null,
                    null,
                    new String[] {rds},
                    new String[] {rds},
                    false,
                    false));
        }
        // The one role of account 222222222222 that reads 111111111111's secrets.
        crossAccountReader = role(
                rng,
                1,
                "secrettrail-xacct-reader",
                "/xacct/",
                instanceIds(rng),
                new String[] {"52.94.133.131", "52.94.76.20"},
                new String[] {UserAgents.JAVA},
                true,
                false);
    }

    private Principal role(
            SplittableRandom rng,
            int a,
            String name,
            String path,
            String[] sessions,
            String[] ips,
            String[] uas,
            boolean cross,
            boolean admin) {
        String acct = Topology.ACCOUNTS.get(a);
        String[] arns = new String[sessions.length];
        for (int i = 0; i < sessions.length; i++) {
            arns[i] = "arn:aws:sts::" + acct + ":assumed-role/" + name + "/" + sessions[i];
        }
        return add(new Principal(
                all.size(),
                Principal.Type.ASSUMED_ROLE,
                a,
                "arn:aws:iam::" + acct + ":role" + path + name,
                name,
                "AROA" + RandomText.upperAlnum(rng, 17),
                "ASIA" + RandomText.upperAlnum(rng, 16),
                sessions,
                arns,
                ips,
                uas,
                cross,
                admin));
    }

    private Principal user(SplittableRandom rng, int a, String name, String[] ips, String[] uas) {
        return add(new Principal(
                all.size(),
                Principal.Type.IAM_USER,
                a,
                "arn:aws:iam::" + Topology.ACCOUNTS.get(a) + ":user/" + name,
                name,
                "AIDA" + RandomText.upperAlnum(rng, 17),
                "AKIA" + RandomText.upperAlnum(rng, 16),
                null,
                null,
                ips,
                uas,
                false,
                false));
    }

    /**
     * A role that only the attack scenarios use: it is appended to {@link #all()} (so it counts as
     * a principal) but to no account's list, so the everyday traffic never draws it.
     */
    Principal scenarioRole(
            SplittableRandom rng, int a, String name, String path, String session, String ip, String ua) {
        String acct = Topology.ACCOUNTS.get(a);
        Principal p = new Principal(
                all.size(),
                Principal.Type.ASSUMED_ROLE,
                a,
                "arn:aws:iam::" + acct + ":role" + path + name,
                name,
                "AROA" + RandomText.upperAlnum(rng, 17),
                "ASIA" + RandomText.upperAlnum(rng, 16),
                new String[] {session},
                new String[] {"arn:aws:sts::" + acct + ":assumed-role/" + name + "/" + session},
                new String[] {ip},
                new String[] {ua},
                false,
                false);
        all.add(p);
        return p;
    }

    /** An IAM user that only the attack scenarios use; see {@link #scenarioRole}. */
    Principal scenarioUser(SplittableRandom rng, int a, String name, String ip, String ua) {
        Principal p = new Principal(
                all.size(),
                Principal.Type.IAM_USER,
                a,
                "arn:aws:iam::" + Topology.ACCOUNTS.get(a) + ":user/" + name,
                name,
                "AIDA" + RandomText.upperAlnum(rng, 17),
                "AKIA" + RandomText.upperAlnum(rng, 16),
                null,
                null,
                new String[] {ip},
                new String[] {ua},
                false,
                false);
        all.add(p);
        return p;
    }

    private Principal add(Principal p) {
        all.add(p);
        if (!p.crossAccount) {
            byAccount.get(p.accountIndex).add(p);
        }
        return p;
    }

    private static String[] instanceIds(SplittableRandom rng) {
        String[] s = new String[4];
        for (int i = 0; i < s.length; i++) {
            s[i] = "i-0" + RandomText.hex(rng, 16);
        }
        return s;
    }

    private static String[] taskIds(SplittableRandom rng) {
        String[] s = new String[3];
        for (int i = 0; i < s.length; i++) {
            s[i] = RandomText.hex(rng, 32);
        }
        return s;
    }

    private static String[] ips(SplittableRandom rng, String prefix) {
        String[] s = new String[3];
        for (int i = 0; i < s.length; i++) {
            s[i] = prefix + rng.nextInt(256) + "." + (1 + rng.nextInt(254));
        }
        return s;
    }

    private static String[] publicIps(SplittableRandom rng) {
        String[] prefixes = {"203.0.113.", "198.51.100.", "192.0.2."};
        String[] s = new String[2];
        for (int i = 0; i < s.length; i++) {
            s[i] = prefixes[rng.nextInt(prefixes.length)] + (1 + rng.nextInt(254));
        }
        return s;
    }

    List<Principal> all() {
        return all;
    }

    /** The account's own callers (the cross-account reader is not among them). */
    List<Principal> of(int account) {
        return byAccount.get(account);
    }

    Principal ci(int account) {
        return ciRole[account];
    }

    Principal admin(int account) {
        return adminRole[account];
    }

    Principal hostile(int account) {
        return hostileUser[account];
    }

    Principal kmsCaller(int account) {
        return kmsCaller[account];
    }

    Principal crossAccountReader() {
        return crossAccountReader;
    }
}
