package dev.spor.config;

/**
 * A form whose submissions turn visitors into contacts.
 *
 * @param id unique within the site, used by {@code data-spor-form} and the API
 * @param name human-readable name, defaults to the id
 * @param emailField name of the field that holds the email address
 * @param alwaysCreateNewContact a new email always makes a new contact (kiosk mode)
 * @param selector a CSS selector for the form's element on the site's pages, for forms that
 *     cannot carry {@code data-spor-form="<id>"}; may be absent
 */
public record FormConfig(String id, String name, String emailField, Boolean alwaysCreateNewContact, String selector) {
    /** Longest form selector, field name and form name. */
    public static final int MAX_TEXT = 200;

    public FormConfig {
        if (name == null) {
            name = id;
        }
        if (alwaysCreateNewContact == null) {
            alwaysCreateNewContact = false;
        }
    }
}
