package dev.spor.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spor.testing.Browser;
import dev.spor.testing.RunningSpor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The demo a newcomer opens, in real Chromium: its contact form and its marketing-email link do what they say. */
class DemoIdentityBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BANNER = "[data-spor-banner]";

    @TempDir
    Path dir;

    @Test
    void demo_acceptSubmitTheContactForm_thenFollowTheEmailLink() throws Exception {
        try (RunningSpor spor = RunningSpor.demo(dir); Browser browser = Browser.start()) {
            String base = "http://localhost:" + spor.port() + "/demo/";
            browser.open(base + "contact.html");
            browser.waitFor("!!document.querySelector('" + BANNER + "')"
                    + " && !!document.querySelector('" + BANNER + "').shadowRoot.querySelector('[data-action=accept-all]')", WAIT);
            browser.driver().findElement(By.cssSelector(BANNER)).getShadowRoot()
                    .findElement(By.cssSelector("[data-action=accept-all]")).click();
            browser.driver().findElement(By.name("name")).sendKeys("Newcomer");
            browser.driver().findElement(By.name("email")).sendKeys("newcomer@example.com");
            browser.driver().findElement(By.name("message")).sendKeys("Hello");
            browser.driver().findElement(By.cssSelector("button[type=submit]")).click();
            browser.waitFor("!document.getElementById('form-thanks').hidden", WAIT);
            Contacts contacts = spor.app().identity().contacts();
            Contacts.Contact newcomer = await(() -> contacts.byEmail("demo", "newcomer@example.com"));
            assertThat(contacts.pageViews("demo", newcomer.id())).extracting(Contacts.ContactPageView::path)
                    .contains("/demo/contact.html");

            browser.open(base + "index.html");
            browser.driver().findElement(By.linkText("Spring offer")).click();
            browser.waitFor("location.pathname === '/demo/offer.html' && location.search === ''", WAIT);
            Contacts.Contact reader = await(() -> contacts.byEmail("demo", DemoEmailLink.READER)
                    .filter(c -> !contacts.clicks("demo", c.id()).isEmpty()));
            assertThat(contacts.clicks("demo", reader.id())).extracting(Contacts.Click::outcome).containsExactly("linked");
        }
    }

    private static <T> T await(java.util.function.Supplier<Optional<T>> probe) throws InterruptedException {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not found within " + WAIT);
    }
}
