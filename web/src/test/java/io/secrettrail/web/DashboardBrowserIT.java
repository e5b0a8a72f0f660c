package io.secrettrail.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrettrail.analytics.dashboard.DashboardService;
import io.secrettrail.analytics.live.ReportCache;
import io.secrettrail.analytics.report.ReportSettings;
import io.secrettrail.analytics.store.Batch;
import io.secrettrail.analytics.store.EventStore;
import io.secrettrail.core.Text;
import io.secrettrail.core.event.EventParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs), driven by Selenium. Screenshots of every page land in target/screenshots/.
 */
class DashboardBrowserIT {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");
    static final String TOKEN = "a-browser-test-token-1234";

    @TempDir
    static Path dir;

    static EventStore store;
    static ReportCache reports;
    static WebServer open;
    static WebServer locked;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertThat(CHROMEDRIVER)
                .as("install Debian's chromium and chromium-driver (.ci/run does)")
                .exists();
        store = EventStore.open(dir.resolve("browser.duckdb"));
        TestData.load(store, TestData.generate(dir.resolve("gen")));
        TestData.loadOddNames(store);
        TestData.loadBursts(store);
        TestData.loadOctober(store);
        TestData.loadOctoberBill(store);
        Clock clock = Clock.fixed(TestData.END, ZoneOffset.UTC);
        reports = new ReportCache(store, ReportSettings.defaults(), () -> TestData.END)
                .start(Duration.ofMillis(500), clock);
        DashboardService service = new DashboardService(store, reports);
        open = WebServer.start(
                new WebConfig("127.0.0.1", 0),
                service,
                ReportSettings.defaults().rules(),
                clock);
        locked = WebServer.start(
                new WebConfig("0.0.0.0", 0, TOKEN),
                service,
                ReportSettings.defaults().rules(),
                clock);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .build(),
                options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        open.close();
        locked.close();
        reports.close();
        store.close();
    }

    private static String url(WebServer s, String path) {
        return "http://127.0.0.1:" + s.port() + path;
    }

    private static void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    /** Console messages at SEVERE since the last call (CSP violations and script errors land here). */
    private static List<LogEntry> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
    }

    @Test
    void every_page_loads_without_console_errors_and_charts_render() throws Exception {
        consoleErrors();
        String[][] pages = {
            {"overview", "/"},
            {"secrets", "/secrets"},
            {"secret", "/secrets/" + Pages.arnPath(TestData.HOSTILE_ARN)},
            {"principals", "/principals"},
            {"principal", "/principals/" + Pages.arnPath(TestData.HOSTILE_ROLE)},
            {"alerts", "/alerts"},
            {"cost", "/cost"},
            {"reconciliation", "/reconciliation"},
            {"webhooks", "/webhooks"},
            {"api-docs", "/api/docs"}
        };
        for (String[] p : pages) {
            browser.get(url(open, p[1]));
            if (p[0].equals("api-docs")) {
                new WebDriverWait(browser, Duration.ofSeconds(15))
                        .until(d -> !d.findElements(By.cssSelector(".swagger-ui .opblock"))
                                .isEmpty());
            }
            shot(p[0]);
            assertThat(consoleErrors()).as(p[0] + " console").isEmpty();
            assertThat(browser.getTitle()).as(p[0]).isNotBlank();
        }
        browser.get(url(open, "/"));
        WebElement chart = browser.findElement(By.id("calls-per-day"));
        assertThat(chart.findElements(By.tagName("rect"))).hasSizeGreaterThan(3);
        assertThat(chart.getSize().getWidth()).isGreaterThan(300);
        assertThat(chart.getSize().getHeight()).isGreaterThan(100);
        browser.get(url(open, "/cost"));
        assertThat(browser.findElement(By.id("mtd-vs-projected")).findElements(By.tagName("rect")))
                .hasSize(2);
    }

    /** Issue 14: at 1400 px no page scrolls sideways, the alerts page and an incident's page included. */
    @Test
    void at_1400_px_no_page_scrolls_sideways_and_an_incident_opens_from_its_timeline_table() throws Exception {
        assertThat(((Number) browser.executeScript("return window.innerWidth")).intValue())
                .isEqualTo(1400);
        browser.get(url(open, "/alerts"));
        assertThat(browser.findElements(By.cssSelector("svg.timeline"))).isNotEmpty();
        List<WebElement> bars = browser.findElements(By.cssSelector("svg.timeline rect.bar"));
        assertThat(bars).isNotEmpty();
        assertThat(bars)
                .allSatisfy(b -> assertThat(b.findElement(By.tagName("title")).getAttribute("textContent"))
                        .isNotBlank());
        WebElement link = browser.findElement(By.cssSelector("table#alerts a.incident"));
        String href = link.getAttribute("href");
        link.click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().contains("/alerts/incident/"));
        assertThat(browser.getCurrentUrl()).isEqualTo(href);
        assertThat(browser.findElements(By.cssSelector("table#sessions"))).hasSize(1);
        String incidentPath = href.substring(href.indexOf("/alerts/incident/"));
        String[][] pages = {
            {"wide-overview", "/"},
            {"wide-secrets", "/secrets"},
            {"wide-secret", "/secrets/" + Pages.arnPath(TestData.HOSTILE_ARN)},
            {"wide-principals", "/principals"},
            {"wide-principal", "/principals/" + Pages.arnPath(TestData.HOSTILE_ROLE)},
            {"wide-alerts", "/alerts"},
            {"wide-alerts-closed", "/alerts?page=1&pageSize=1000"},
            {"wide-incident", incidentPath},
            {"wide-cost", "/cost"},
            {"wide-reconciliation", "/reconciliation"},
            {"wide-webhooks", "/webhooks"}
        };
        for (String[] p : pages) {
            browser.get(url(open, p[1]));
            shot(p[0]);
            long scroll = ((Number) browser.executeScript("return document.documentElement.scrollWidth")).longValue();
            long inner = ((Number) browser.executeScript("return window.innerWidth")).longValue();
            assertThat(scroll).as(p[0] + " scrollWidth").isLessThanOrEqualTo(inner);
        }
    }

    /** The value of the card labelled {@code label} on the page shown. */
    private static String card(String label) {
        return browser.findElements(By.cssSelector("#cost-cards .card")).stream()
                .filter(c -> c.findElement(By.tagName("span")).getText().equals(label))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no card " + label))
                .findElement(By.tagName("strong"))
                .getText();
    }

    private static java.math.BigDecimal dollars(String shown) {
        assertThat(shown).startsWith("$");
        return new java.math.BigDecimal(shown.substring(1));
    }

    /**
     * Issue 15 §3: the Cost page with a month picked from the picker and an account filter applied from the
     * filter bar; what it shows follows both (the totals are the API's for the same query), and a bar of the
     * month-over-month chart opens its month with the filter kept.
     */
    @Test
    void the_cost_page_shows_a_picked_month_narrowed_to_an_account() throws Exception {
        consoleErrors();
        browser.get(url(open, "/cost"));
        List<WebElement> months = browser.findElements(By.cssSelector("#month-picker a"));
        assertThat(months).extracting(WebElement::getText).containsExactly("2026-10", "2026-11");
        assertThat(browser.findElement(By.cssSelector("#month-picker a.current"))
                        .getText())
                .isEqualTo("2026-11");
        assertThat(card("month")).isEqualTo("2026-11 (open)");
        assertThat(browser.findElements(By.cssSelector("#month-over-month g.month")))
                .hasSize(2);

        months.get(0).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().contains("month=2026-10"));
        assertThat(card("month")).isEqualTo("2026-10 (closed)");
        assertThat(browser.findElements(By.id("mtd-vs-projected")))
                .as("a closed month has no projection")
                .isEmpty();
        java.math.BigDecimal allOctober = dollars(card("total"));

        WebElement account = browser.findElement(By.cssSelector("form.filters input[name=account]"));
        account.clear();
        account.sendKeys("111111111111");
        browser.findElement(By.cssSelector("form.filters button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().contains("account=111111111111"));
        assertThat(browser.getCurrentUrl()).as("the filter bar keeps the month").contains("month=2026-10");
        assertThat(card("month")).isEqualTo("2026-10 (closed)");
        java.math.BigDecimal oneOctober = dollars(card("total"));
        assertThat(oneOctober).isPositive().isLessThan(allOctober);
        var api = TestData.JSON.readTree(
                DashboardApiIT.get(open, "/api/v1/cost/months?month=2026-10&account=111111111111")
                        .body());
        assertThat(card("total")).isEqualTo(Usd.text(api.get("totalUsd").decimalValue()));
        assertThat(browser.findElements(By.cssSelector("table#cost-account tbody tr td:first-child")))
                .extracting(WebElement::getText)
                .containsExactly("111111111111");
        assertThat(browser.findElements(By.cssSelector("table#cost-secret tbody tr td:first-child")))
                .isNotEmpty()
                .allSatisfy(td -> assertThat(td.getText()).contains(":111111111111:"));
        assertThat(browser.findElement(By.id("cost-scope")).getText()).contains("account 111111111111");
        shot("cost-october-one-account");
        long scroll = ((Number) browser.executeScript("return document.documentElement.scrollWidth")).longValue();
        assertThat(scroll).isLessThanOrEqualTo(1400);

        browser.findElement(By.cssSelector("#month-over-month g.month[data-month^='2026-11'] rect"))
                .click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().contains("month=2026-11"));
        assertThat(browser.getCurrentUrl()).contains("account=111111111111");
        assertThat(card("month")).isEqualTo("2026-11 (open)");
        var november = TestData.JSON.readTree(
                DashboardApiIT.get(open, "/api/v1/cost/months?month=2026-11&account=111111111111")
                        .body());
        assertThat(card("month to date"))
                .isEqualTo(Usd.text(november.get("totalUsd").decimalValue()));
        assertThat(card("projected"))
                .isEqualTo(Usd.text(november.get("projectedUsd").decimalValue()));
        shot("cost-november-one-account");
        assertThat(consoleErrors()).isEmpty();
    }

    /**
     * Issue 15 §4: the Reconciliation view shows AWS's October bill beside the computation, per month and then
     * line by line with the largest difference first, credits apart; the account filter applies.
     */
    @Test
    void the_reconciliation_view_puts_the_largest_differences_first_and_takes_the_account_filter() throws Exception {
        consoleErrors();
        browser.get(url(open, "/reconciliation"));
        assertThat(browser.findElements(By.cssSelector("table#reconciliation-months tbody tr td:first-child")))
                .extracting(WebElement::getText)
                .containsExactly("2026-10");
        List<WebElement> rows = browser.findElements(By.cssSelector("table#reconciliation-lines tbody tr"));
        assertThat(rows).isNotEmpty();
        List<java.math.BigDecimal> gaps = rows.stream()
                .map(r -> r.findElements(By.tagName("td")).get(9).getText())
                .map(t -> t.isEmpty()
                        ? java.math.BigDecimal.ZERO
                        : dollars(t.replace("-$", "$-")).abs())
                .toList();
        for (int i = 1; i < gaps.size(); i++) {
            assertThat(gaps.get(i)).as("row " + i).isLessThanOrEqualTo(gaps.get(i - 1));
        }
        assertThat(browser.findElements(By.cssSelector("table#reconciliation-lines tbody tr td:nth-child(2)")))
                .extracting(WebElement::getText)
                .contains("111111111111", TestData.ODD_ACCOUNT);
        assertThat(browser.findElement(By.id("reconciliation-non-usage")).getText())
                .contains("Credit", "-$1.00");
        var api = TestData.JSON.readTree(
                DashboardApiIT.get(open, "/api/v1/reconciliation").body());
        assertThat(browser.findElement(By.cssSelector("table#reconciliation-months tbody tr td:nth-child(2)"))
                        .getText())
                .isEqualTo(Usd.text(api.get("months").get(0).get("billedUsd").decimalValue()));
        shot("reconciliation");

        browser.get(url(open, "/reconciliation?account=" + TestData.ODD_ACCOUNT));
        assertThat(browser.findElements(By.cssSelector("table#reconciliation-lines tbody tr td:nth-child(2)")))
                .isNotEmpty()
                .allSatisfy(td -> assertThat(td.getText()).isEqualTo(TestData.ODD_ACCOUNT));
        assertThat(browser.findElements(By.cssSelector("table#reconciliation-non-usage tbody tr")))
                .isEmpty();
        assertThat(browser.findElement(By.cssSelector("table#reconciliation-months tbody tr td:nth-child(2)"))
                        .getText())
                .isEqualTo("$0.4000");
        shot("reconciliation-one-account");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void clicking_a_secret_opens_its_detail() {
        browser.get(url(open, "/secrets?sort=calls"));
        WebElement first = browser.findElement(By.cssSelector("table#secrets a.secret"));
        String name = first.getText();
        first.click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> d.getCurrentUrl().contains("/secret?arn=arn%3Aaws%3Asecretsmanager%3A"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(name);
        assertThat(browser.findElement(By.id("calls-over-time")).findElements(By.tagName("rect")))
                .isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("table#principals tbody tr")))
                .isNotEmpty();
    }

    @Test
    void hostile_names_and_user_agents_render_as_text_and_run_nothing() throws Exception {
        browser.get(url(open, "/secrets/" + Pages.arnPath(TestData.HOSTILE_ARN)));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(TestData.HOSTILE_NAME);
        assertThat(browser.findElement(By.cssSelector("table#principals td.ua")).getText())
                .isEqualTo(TestData.HOSTILE_UA);
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.findElements(By.tagName("b"))).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        shot("hostile-secret");
        browser.get(url(open, "/secrets?q=script"));
        assertThat(browser.findElement(By.cssSelector("table#secrets a.secret")).getText())
                .isEqualTo(TestData.HOSTILE_NAME);
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    /** Issue 12, item 14: names with "..", "%", "?", "#", "//", controls and bidi characters open their own pages. */
    @Test
    void every_odd_name_opens_its_own_page_from_its_link_and_so_does_its_reader() throws Exception {
        consoleErrors();
        for (String name : TestData.ODD_NAMES) {
            String shown = Text.visible(name);
            browser.get(url(open, "/secrets?account=" + TestData.ODD_ACCOUNT + "&pageSize=100&sort=name"));
            WebElement link = browser.findElements(By.cssSelector("table#secrets a.secret")).stream()
                    .filter(a -> a.getText().equals(shown))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no link shows " + shown));
            link.click();
            new WebDriverWait(browser, Duration.ofSeconds(5))
                    .until(d -> d.getCurrentUrl().contains("/secret?arn="));
            assertThat(browser.findElement(By.tagName("h1")).getText()).as(name).isEqualTo(shown);
            assertThat(browser.findElement(By.cssSelector("p.arn")).getText())
                    .as(name)
                    .isEqualTo(Text.visible(TestData.oddArn(name)));
            assertThat(browser.findElement(By.cssSelector("section.cards")).getText())
                    .as(name)
                    .contains("calls\n2");
            if (name.contains("\u202E")) {
                shot("odd-name-rlo");
            }
            browser.findElement(By.cssSelector("table#principals a")).click();
            new WebDriverWait(browser, Duration.ofSeconds(5))
                    .until(d -> d.getCurrentUrl().contains("/principal?arn="));
            assertThat(browser.findElement(By.cssSelector("p.arn")).getText())
                    .as(name)
                    .isEqualTo(TestData.ODD_ROLE);
            assertThat(browser.findElements(By.cssSelector("table#access tbody tr")))
                    .as(name)
                    .hasSize(TestData.ODD_NAMES.size());
        }
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void without_the_token_a_non_loopback_server_shows_the_login_page() throws Exception {
        browser.manage().deleteAllCookies();
        browser.get(url(locked, "/secrets"));
        assertThat(browser.getCurrentUrl()).contains("/login");
        assertThat(browser.findElements(By.cssSelector("form#login input[name=token]")))
                .hasSize(1);
        assertThat(browser.findElements(By.id("secrets"))).isEmpty();
        shot("login");
        browser.findElement(By.name("token")).sendKeys(TOKEN);
        browser.findElement(By.name("name")).sendKeys("reviewer");
        browser.findElement(By.cssSelector("form#login button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(5))
                .until(d -> !d.findElements(By.id("secrets")).isEmpty());
        assertThat(browser.getCurrentUrl()).endsWith("/secrets");
        browser.manage().deleteAllCookies();
    }

    @Test
    void the_page_reloads_within_five_seconds_of_new_events() throws Exception {
        browser.get(url(open, "/"));
        String before = browser.findElement(By.tagName("body")).getAttribute("data-version");
        long events =
                Long.parseLong(browser.findElement(By.id("status")).getText().split(" ")[0]);
        String json = """
                {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","accountId":"111111111111","arn":"arn:aws:iam::111111111111:user/late"},
                 "eventTime":"2026-11-21T11:59:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"ListSecrets",
                 "awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","userAgent":"aws-cli/2","requestParameters":{},
                 "responseElements":null,"requestID":"r","eventID":"live-update-1","eventType":"AwsApiCall","recipientAccountId":"111111111111"}""";
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        Batch b = new Batch();
        b.event(new Batch.EventRow(new EventParser().parse(TestData.JSON.readTree(raw), raw), null, true, "live", 1L));
        long committed = System.nanoTime();
        store.write(b);
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> {
            try {
                return !before.equals(d.findElement(By.tagName("body")).getAttribute("data-version"));
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - committed)).isLessThan(Duration.ofSeconds(5));
        assertThat(browser.findElement(By.id("status")).getText()).startsWith((events + 1) + " events");
    }
}
