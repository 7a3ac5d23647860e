package dev.spor.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.server.SporSettings;
import dev.spor.testing.ApiClient;
import dev.spor.testing.Browser;
import dev.spor.testing.HttpVisitor;
import dev.spor.testing.RunningSpor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Hostile text in the config (the site's name), in page titles and URLs the script reports and
 * in form fields becomes text on every console page, never markup: nothing runs, no element is
 * injected, and the text is shown as written.
 */
class ConsoleHostileTextBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NAME = "<img src=x onerror=\"window.pwned=1\">Shop";
    private static final String TITLE = "<img src=x onerror=window.pwned=2>Pricing";
    private static final String FIELD = "<script>window.pwned=3</script><b>bold</b>";

    @TempDir
    Path dir;

    @Test
    void hostileStrings_everyPage_showsThemAsTextAndRunsNothing() throws Exception {
        Path config = Files.writeString(dir.resolve("spor.json"), """
                { "sites": [ { "key": "shop", "name": "%s", "domains": ["www.spor.test"], "cookieDomain": "spor.test",
                    "hosts": ["t.spor.test"], "policies": [ { "id": "default", "mode": "opt-in" } ],
                    "forms": [ { "id": "contact", "emailField": "email" } ] } ] }""".formatted(NAME.replace("\"", "\\\"")));
        try (RunningSpor spor = RunningSpor.start(new SporSettings(config, dir.resolve("data"), null, null, null, "k"));
                Browser browser = Browser.start()) {
            HttpVisitor visitor = new HttpVisitor(spor.port(), "t.spor.test", "https://www.spor.test", "/s/shop");
            visitor.post("/state", "{\"action\":\"accept-all\",\"url\":\"https://www.spor.test/%3Cscript%3E\",\"title\":\""
                    + TITLE + "\",\"eventId\":\"hostile-accept\"}");
            HttpResponse<String> submitted = new ApiClient(spor.port(), "k").call("POST", "/forms/contact/submissions",
                    "{\"site\":\"shop\",\"visitor\":\"" + visitor.cookie("spor_id_shop") + "\",\"fields\":{\"email\":"
                    + "\"mallory@example.com\",\"note\":\"" + FIELD + "\"}}");
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
            long contact = ApiClient.json(submitted).path("contactId").asLong();

            browser.open("http://localhost:" + spor.port() + "/console/");
            browser.waitFor("!!document.getElementById('api-key')", WAIT);
            browser.driver().findElement(By.id("api-key")).sendKeys("k");
            browser.driver().findElement(By.cssSelector("#sign-in button[type=submit]")).click();
            browser.waitFor("!!document.getElementById('sign-out')", WAIT);
            for (String hash : List.of("#/overview", "#/contacts", "#/contacts/" + contact, "#/consent-log")) {
                browser.run("location.hash = '" + hash + "';");
                browser.waitFor("location.hash === '" + hash + "' && !!document.querySelector('main h1')"
                        + " && !document.getElementById('main').hasAttribute('aria-busy')", WAIT);
                assertThat(browser.eval("typeof window.pwned")).as(hash).isEqualTo("undefined");
                assertThat(browser.eval("document.querySelectorAll('img[src=x], main script, main b').length")).as(hash)
                        .isEqualTo(0L);
            }
            String header = (String) browser.eval("document.getElementById('console-header').textContent");
            assertThat(header).contains(NAME);
            browser.run("location.hash = '#/contacts/" + contact + "';");
            browser.waitFor("document.body.textContent.indexOf('window.pwned=3') >= 0", WAIT);
        }
    }
}
