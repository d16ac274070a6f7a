package org.biotwin.ui.web.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web panel in the real reference host, driven over HTTP (JSON API, security) and in headless Chromium (Debian's
 * chromium and chromium-driver): log in, open a unit, see the trajectories move, accept an advisory with an
 * e-signature and find it in the exported batch record, run a what-if. Screenshots go to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private PanelHost host;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private WebDriver browser;
    private Path shots;

    @BeforeAll
    void start() throws Exception {
        host = new PanelHost();
        shots = Paths.get(System.getProperty("uiweb.screenshots"));
        Files.createDirectories(shots);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (host != null) {
            host.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP API

    record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    }

    private Reply call(String method, String path, String cookie, String csrf, String body, String type)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(host.base() + path)).timeout(Duration.ofSeconds(60));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode j = r.body().isEmpty() || !r.headers().firstValue("Content-Type").orElse("").contains("json") ? null
                : JSON.readTree(r.body());
        return new Reply(r.statusCode(), j, r);
    }

    private record Login(String cookie, String csrf, JsonNode json) {
    }

    private Login login(String user) throws Exception {
        Reply r = call("POST", "api/login", null, null, JSON.writeValueAsString(Map.of("userId", user, "password",
                PanelHost.PASSWORDS.get(user))), "application/json");
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        String setCookie = r.raw().headers().firstValue("Set-Cookie").orElseThrow();
        return new Login(setCookie.substring(0, setCookie.indexOf(';')), r.json().get("csrfToken").asText(), r.json());
    }

    @Test
    @Order(1)
    void pageIsPublicEmbeddableAndTheApiNeedsALogin() throws Exception {
        Reply page = call("GET", "", null, null, null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("<title>BioTwin panel</title>");
        assertThat(page.raw().headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'self' http://127.0.0.1:*");
        assertThat(page.raw().headers().firstValue("X-Frame-Options")).as("no X-Frame-Options: MES iframes").isEmpty();
        assertThat(call("GET", "vendor/uPlot.iife.min.js", null, null, null, null).status()).isEqualTo(200);
        assertThat(call("GET", "../etc/passwd", null, null, null, null).status()).isIn(400, 404);

        Reply anon = call("GET", "api/units", null, null, null, null);
        assertThat(anon.status()).isEqualTo(401);
        assertThat(anon.json().get("error").asText()).contains("Not logged in");
        Reply wrong = call("POST", "api/login", null, null, "{\"userId\":\"op1\",\"password\":\"nope\"}",
                "application/json");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).contains("wrong password");
        assertThat(call("POST", "api/login", null, null, "userId=op1&password=x",
                "application/x-www-form-urlencoded").status()).as("a cross-site form post").isEqualTo(415);
        assertThat(call("POST", "api/login", null, null, "{\"userId\":\"op1\"}", "application/json").json()
                .get("error").asText()).contains("'password'");
    }

    @Test
    @Order(2)
    void loginSetsAStrictHttpOnlyCookieAndStateChangesNeedTheCsrfTokenAndTheRole() throws Exception {
        Reply r = call("POST", "api/login", null, null, JSON.writeValueAsString(Map.of("userId", "op1", "password",
                PanelHost.PASSWORDS.get("op1"))), "application/json");
        String setCookie = r.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("BIOTWIN_SESSION=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/biotwin");
        assertThat(r.json().get("roles").toString()).isEqualTo("[\"operator\"]");
        Login op = login("op1");

        Reply units = call("GET", "api/units", op.cookie(), null, null, null);
        assertThat(units.status()).isEqualTo(200);
        JsonNode u = units.json().get(0);
        assertThat(u.get("unit").asText()).isEqualTo(PanelHost.UNIT);
        assertThat(u.get("batch").asText()).isEqualTo(PanelHost.BATCH);
        assertThat(u.get("phase").asText()).isEqualTo("FED_BATCH");
        assertThat(u.get("activeModel").asText()).startsWith("cho.mab.fedbatch:");

        Reply unit = call("GET", "api/units/" + PanelHost.UNIT, op.cookie(), null, null, null);
        assertThat(unit.json().get("state").get("states").toString()).contains("\"name\":\"Xv\"").contains("\"sd\"");
        assertThat(unit.json().get("batchContext").get("recipeId").asText()).isEqualTo("R-CHO-FB");
        assertThat(call("GET", "api/units/NOPE", op.cookie(), null, null, null).status()).isEqualTo(404);

        String harvest = "{\"kind\":\"HARVEST_TIME\",\"time\":200}";
        Reply noCsrf = call("POST", "api/units/" + PanelHost.UNIT + "/whatif", op.cookie(), null, harvest,
                "application/json");
        assertThat(noCsrf.status()).isEqualTo(403);
        assertThat(noCsrf.json().get("error").asText()).contains("CSRF");
        Reply badCsrf = call("POST", "api/units/" + PanelHost.UNIT + "/whatif", op.cookie(), "forged", harvest,
                "application/json");
        assertThat(badCsrf.status()).isEqualTo(403);

        Reply bad = call("POST", "api/units/" + PanelHost.UNIT + "/whatif", op.cookie(), op.csrf(),
                "{\"kind\":\"FEED_PROFILE\",\"input\":\"F_feed\",\"times_h\":[80,90],\"values\":[1]}",
                "application/json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("'times_h' and 'values' differ");
        assertThat(call("POST", "api/units/" + PanelHost.UNIT + "/whatif", op.cookie(), op.csrf(),
                "{\"kind\":\"WARP\"}", "application/json").json().get("error").asText()).contains("'WARP'");
        assertThat(call("POST", "api/units/" + PanelHost.UNIT + "/whatif", op.cookie(), op.csrf(), "{not json",
                "application/json").status()).isEqualTo(400);

        Login it = login("it1");
        assertThat(call("GET", "api/units", it.cookie(), null, null, null).status()).as("IT may look").isEqualTo(200);
        Reply forbidden = call("POST", "api/units/" + PanelHost.UNIT + "/whatif", it.cookie(), it.csrf(), harvest,
                "application/json");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("error").asText()).contains("needs one of [engineer, operator]");

        Reply whatIf = call("POST", "api/units/" + PanelHost.UNIT + "/whatif", op.cookie(), op.csrf(), harvest,
                "application/json");
        assertThat(whatIf.status()).as(whatIf.raw().body()).isEqualTo(200);
        assertThat(whatIf.json().get("withAction").get("harvestAge_h").asDouble()).isEqualTo(200.0);
        assertThat(whatIf.json().get("gain").has("p50")).isTrue();

        assertThat(call("POST", "api/logout", op.cookie(), op.csrf(), "{}", "application/json").status())
                .isEqualTo(204);
        assertThat(call("GET", "api/units", op.cookie(), null, null, null).status()).as("after logout")
                .isEqualTo(401);
    }

    @Test
    @Order(3)
    void serverSentEventsPushNewEstimates() throws Exception {
        Login op = login("op1");
        HttpRequest req = HttpRequest.newBuilder(URI.create(host.base() + "api/events?unit=" + PanelHost.UNIT))
                .header("Cookie", op.cookie()).build();
        HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<Double> ages = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String event = null;
            long end = System.currentTimeMillis() + 20_000;
            String line;
            while (ages.size() < 3 && System.currentTimeMillis() < end && (line = in.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && "state".equals(event)) {
                    ages.add(JSON.readTree(line.substring(6)).get("batchAge_h").asDouble());
                }
            }
        }
        assertThat(ages).hasSize(3);
        assertThat(ages.get(2)).as("estimates move forward: " + ages).isGreaterThan(ages.get(0));
    }

    // ------------------------------------------------------------------------------------------------ browser

    private WebDriver browser() throws IOException {
        if (browser == null) {
            ChromeOptions o = new ChromeOptions();
            o.setBinary("/usr/bin/chromium");
            o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1300",
                    "--user-data-dir=" + Files.createTempDirectory(host.work, "chromium-profile"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
            browser = new ChromeDriver(service, o);
        }
        return browser;
    }

    private void shot(String name) throws IOException {
        Files.write(shots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private WebDriverWait waitFor(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    @Test
    @Order(10)
    void browserLogsInOpensTheUnitAndSeesTheTrajectoriesMoveWithoutReload() throws Exception {
        WebDriver b = browser();
        b.get(host.base());
        waitFor(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user")));
        shot("01-login");
        b.findElement(By.id("login-user")).sendKeys("op1");
        b.findElement(By.id("login-password")).sendKeys(PanelHost.PASSWORDS.get("op1"));
        b.findElement(By.id("login-submit")).click();
        waitFor(10).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#units tbody"),
                PanelHost.UNIT));
        shot("02-overview");
        // The overview is re-rendered by live updates; retry a click that lands on a replaced row.
        waitFor(10).until(d -> {
            try {
                d.findElement(By.cssSelector("#units a[href='#unit=" + PanelHost.UNIT + "']")).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        waitFor(15).until(d -> !d.findElements(By.cssSelector("#state-table tbody tr[data-state]")).isEmpty());
        waitFor(30).until(d -> !d.findElements(By.cssSelector("#charts .chart canvas")).isEmpty());
        JavascriptExecutor js = (JavascriptExecutor) b;
        js.executeScript("window.__noReload = 42;");
        String age1 = b.findElement(By.id("state-age")).getAttribute("data-batch-age");
        String pts1 = b.findElement(By.cssSelector("#charts .chart")).getAttribute("data-points");
        waitFor(20).until(d -> !age1.equals(d.findElement(By.id("state-age")).getAttribute("data-batch-age")));
        waitFor(30).until(d -> !pts1.equals(d.findElement(By.cssSelector("#charts .chart"))
                .getAttribute("data-points")));
        assertThat(js.executeScript("return window.__noReload;")).as("same page, no reload").isEqualTo(42L);
        assertThat(Double.parseDouble(b.findElement(By.id("state-age")).getAttribute("data-batch-age")))
                .isGreaterThan(Double.parseDouble(age1));
        assertThat(b.findElement(By.id("live")).getText()).isEqualTo("live");
        assertThat(b.findElement(By.id("batch-context")).getText()).contains(PanelHost.BATCH).contains("FED_BATCH");
        assertThat(b.findElement(By.id("model-info")).getText()).contains("cho.mab.fedbatch");
        Thread.sleep(1500);
        shot("03-unit-live");
    }

    @Test
    @Order(11)
    void browserReceivesAnAdvisoryAndAcceptsItWithAnElectronicSignatureFoundInTheBatchRecordExport()
            throws Exception {
        WebDriver b = browser();
        b.findElement(By.id("advise-now")).click();
        waitFor(60).until(d -> !d.findElements(By.cssSelector(".advisory.OPEN button[data-decide=accept]")).isEmpty());
        String id = b.findElement(By.cssSelector(".advisory.OPEN")).getAttribute("data-id");
        ((JavascriptExecutor) b).executeScript("document.getElementById('advice-card').scrollIntoView()");
        shot("04-advisory");
        b.findElement(By.cssSelector(".advisory.OPEN button[data-decide=accept]")).click();
        waitFor(5).until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-password")));
        assertThat(b.findElement(By.id("sign-user")).getAttribute("value")).isEqualTo("op1");
        assertThat(b.findElement(By.id("sign-password")).getAttribute("value")).as("password re-asked").isEmpty();
        b.findElement(By.id("sign-password")).sendKeys("wrong-password");
        b.findElement(By.id("sign-reason")).sendKeys("Glucose would run out; feed as advised");
        b.findElement(By.id("sign-submit")).click();
        waitFor(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-error"), "wrong password"));
        shot("05-signature-refused");
        b.findElement(By.id("sign-password")).sendKeys(PanelHost.PASSWORDS.get("op1"));
        b.findElement(By.id("sign-submit")).click();
        waitFor(20).until(d -> !d.findElements(By.cssSelector(".advisory.ACCEPTED[data-id='" + id + "']")).isEmpty());
        assertThat(b.findElement(By.cssSelector(".advisory.ACCEPTED[data-id='" + id + "'] .decision")).getText())
                .contains("Accepted by Olivia Operator (op1)").contains("feed as advised");
        shot("06-advisory-accepted");

        Path dir = host.work.resolve("export");
        Files.createDirectories(dir);
        String out = shell("ebr:export " + PanelHost.BATCH + " " + dir);
        Path json = dir.resolve(PanelHost.BATCH + ".json");
        assertThat(json).as(out).exists();
        String export = Files.readString(json);
        // The advisor records the proposal (with the advisory id) and the signed decision (with the signature id) on
        // the batch, so both are in the exported batch record.
        Login op = login("op1");
        JsonNode decided = call("GET", "api/advisories/" + id, op.cookie(), null, null, null).json();
        String signatureId = decided.get("decision").get("signatureId").asText();
        assertThat(export).contains("\"advisory.proposed\"").contains(id);
        assertThat(export).contains("\"advisory.accepted\"").contains("\"actor\" : \"op1\"")
                .contains("Glucose would run out; feed as advised").contains("signature " + signatureId);
    }

    @Test
    @Order(12)
    void browserRunsAWhatIf() throws Exception {
        WebDriver b = browser();
        new org.openqa.selenium.support.ui.Select(b.findElement(By.id("wi-kind"))).selectByValue("FEED_PROFILE");
        WebElement times = b.findElement(By.id("wi-times"));
        times.clear();
        times.sendKeys("100, 150");
        b.findElement(By.id("wi-values")).clear();
        b.findElement(By.id("wi-values")).sendKeys("1.0, 0.6");
        b.findElement(By.id("wi-run")).click();
        waitFor(60).until(ExpectedConditions.presenceOfElementLocated(By.id("whatif-gain")));
        assertThat(b.findElement(By.id("whatif-gain")).getText()).contains("Paired gain").contains("FEED_PROFILE");
        assertThat(b.findElement(By.id("whatif-table")).getText()).contains("as planned").contains("with action");
        ((JavascriptExecutor) b).executeScript("document.getElementById('whatif-card').scrollIntoView()");
        shot("07-whatif");
        // Bad input is refused with the reason, on the page.
        times.clear();
        times.sendKeys("100, 90");
        b.findElement(By.id("wi-run")).click();
        waitFor(10).until(ExpectedConditions.textToBePresentInElementLocated(By.id("whatif-error"),
                "not strictly increasing"));
    }

    @Test
    @Order(13)
    void firstViewOnLocalhostIsFast() throws Exception {
        WebDriver b = browser();
        List<Long> firstView = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            b.get(host.base() + "?r=" + i);
            waitFor(10).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#units tbody"),
                    PanelHost.UNIT));
            // From navigation start to the overview table filled with live data (logged-in user, warm server).
            Object ms = ((JavascriptExecutor) b).executeScript(
                    "return Math.round(performance.now());");
            firstView.add(((Number) ms).longValue());
        }
        System.out.println("[ui.web] first view (navigation start -> units table filled), ms: " + firstView);
        Files.writeString(shots.resolve("first-view-ms.txt"), firstView + "\n");
        assertThat(firstView).allMatch(ms -> ms < 5000); // generous bound; the target (< 1 s) is reported
    }

    private String shell(String command) throws IOException {
        try (Socket s = new Socket("127.0.0.1", host.shellPort)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write((command + "\nquit\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            try (InputStream in = s.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
