package io.reploid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.reploid.gateway.ReploidGateway;
import io.reploid.health.ResourceLimits;
import io.reploid.gateway.internal.dashboard.Dashboard;
import io.reploid.gateway.internal.dashboard.DashboardServer;
import io.reploid.internal.Transports;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver})
 * against an in-process demo (gateway, three TestService instances, clients) on loopback, and against the
 * simulated cluster of the {@code app} command. Screenshots of each step go to {@code target/dashboard/}.
 * Skipped where no browser is installed.
 */
class DashboardIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("reploid.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("reploid.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SHOTS = Path.of("target", "dashboard");
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private WebDriver driver;
    private Path profile;

    @BeforeEach
    void browser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless browser here: install Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                        + CHROMEDRIVER + ") to run the dashboard tests");
        Files.createDirectories(SHOTS);
        profile = Files.createTempDirectory("reploid-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1440,1320", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(PATIENCE);
    }

    @AfterEach
    void close() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void crashFailsOverOnThePageAndTheFeedSurvivesAGatewayRestart() throws Exception {
        int clientPort = freePort();
        int servicePort = freePort();
        int adminPort = freePort();
        EventLoopGroup clientGroup = Transports.newGroup(1, "dashboard-it-clients");
        DemoCluster demo = new DemoCluster(40, 2, clientGroup);
        ReploidGateway gateway = gateway(clientPort, servicePort, adminPort, demo);
        try {
            demo.attach(gateway);
            demo.startInstances(3);
            demo.startClients(30);
            driver.get("http://127.0.0.1:" + adminPort + "/");

            await().until(d -> cards(d).size() == 3 && total(cards(d)) == 30
                    && cards(d).stream().allMatch(c -> !c.getAttribute("data-state").equals("joining")));
            await().until(d -> d.findElement(By.id("status")).getAttribute("data-state").equals("live"));
            await().until(d -> !d.findElements(By.cssSelector("button[data-action='add-instance']")).isEmpty());
            assertThat(cards(driver)).extracting(c -> c.getAttribute("data-instance"))
                    .containsExactly("demo-1", "demo-2", "demo-3");
            shot("01-cluster");

            WebElement busiest = cards(driver).stream()
                    .max(Comparator.comparingInt(c -> Integer.parseInt(c.getAttribute("data-clients")))).orElseThrow();
            String victim = busiest.getAttribute("data-instance");
            assertThat(Integer.parseInt(busiest.getAttribute("data-clients"))).isPositive();
            driver.findElement(By.cssSelector("button[data-action='crash-instance'][data-instance='" + victim + "']"))
                    .click();
            await().until(d -> state(d, victim).equals("dead"));
            shot("02-crashed");
            await().until(d -> cards(d).stream().filter(c -> !c.getAttribute("data-instance").equals(victim))
                    .mapToInt(c -> Integer.parseInt(c.getAttribute("data-clients"))).sum() == 30);
            await().until(d -> !d.findElements(By.cssSelector("#events li[data-type='dead'][data-instance='"
                    + victim + "']")).isEmpty());
            assertThat(driver.findElement(By.cssSelector("#events li[data-type='dead'][data-instance='" + victim + "']"))
                    .getText()).contains("fail over");
            assertThat(driver.findElements(By.cssSelector("#events li[data-type='suspect'][data-instance='" + victim
                    + "']"))).isNotEmpty();
            shot("03-failover");
            assertThat(javascriptErrors(false)).isEmpty();

            gateway.close();
            await().until(d -> !d.findElement(By.id("status")).getAttribute("data-state").equals("live"));
            shot("04-gateway-down");
            gateway = gateway(clientPort, servicePort, adminPort, demo);
            demo.attach(gateway);
            await().until(d -> d.findElement(By.id("status")).getAttribute("data-state").equals("live")
                    && cards(d).size() == 2 && total(cards(d)) == 30
                    && cards(d).stream().allMatch(c -> c.getAttribute("data-state").equals("healthy")
                            || c.getAttribute("data-state").equals("full")));
            await().until(d -> !d.findElements(By.cssSelector("#events li[data-type='joined']")).isEmpty());
            shot("05-gateway-restarted");
            assertThat(javascriptErrors(true)).isEmpty();
        } finally {
            demo.close();
            gateway.close();
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void showsTheSimulatedClusterOfTheAppCommand() throws Exception {
        try (StrategyScores scores = new StrategyScores();
             LiveCluster cluster = new LiveCluster(120, 6000, "least-clients", "churn", 7).start();
             DashboardServer server = DashboardServer.start("127.0.0.1", 0, new Dashboard(
                     new LiveSnapshots(cluster, scores), cluster, false, "off", Duration.ofMillis(500), "app-it"))) {
            scores.score("churn", 120, 6000, "least-clients");
            driver.get("http://127.0.0.1:" + server.port() + "/");
            await().until(d -> d.findElements(By.cssSelector("#instances .tile")).size() == 120);
            await().until(d -> d.findElement(By.id("source")).getText().contains("simulated"));
            await().until(d -> d.findElements(By.cssSelector("#strategies tbody tr")).size() >= 11);
            await().until(d -> d.findElement(By.id("kpi-instances")).getText().startsWith("120"));
            WebElement tile = driver.findElement(By.cssSelector("#instances .tile[data-instance='i-0007']"));
            tile.click();
            driver.findElement(By.cssSelector("#instances .detail button[data-action='crash-instance']")).click();
            await().until(d -> !d.findElements(By.cssSelector("#events li[data-type='dead'][data-instance='i-0007']"))
                    .isEmpty());
            shot("10-simulated-cluster");
            assertThat(javascriptErrors(false)).isEmpty();
        }
    }

    private static ReploidGateway gateway(int clientPort, int servicePort, int adminPort, DemoCluster demo) {
        return ReploidGateway.builder()
                .gatewayId("gw-demo").host("127.0.0.1")
                .clientPort(clientPort).servicePort(servicePort).adminPort(adminPort)
                .balancer(FewestClientsInZone.class.getName())
                .pinRecoveryWindow(Duration.ofMillis(500))
                .resourceLimits(ResourceLimits.NONE) // the instances share this JVM's CPU
                .adminActions(demo)
                .build().start();
    }

    private WebDriverWait await() {
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private static List<WebElement> cards(WebDriver d) {
        return d.findElements(By.cssSelector("#instances article.instance"));
    }

    private static int total(List<WebElement> cards) {
        return cards.stream().mapToInt(c -> Integer.parseInt(c.getAttribute("data-clients"))).sum();
    }

    private static String state(WebDriver d, String instance) {
        return d.findElement(By.cssSelector("#instances article.instance[data-instance='" + instance + "']"))
                .getAttribute("data-state");
    }

    private void shot(String name) {
        Path file = SHOTS.resolve(name + ".png");
        try {
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Errors the page logged since the last call. With {@code networkExpected}, failed connections (the
     * event stream while the gateway is down) are left out: they are the browser's, not the page's.
     */
    private List<String> javascriptErrors(boolean networkExpected) {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            String m = e.getMessage();
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()
                    && !(networkExpected && (m.contains("net::ERR_") || m.contains("Failed to load resource")))) {
                errors.add(m);
            }
        }
        return errors;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
