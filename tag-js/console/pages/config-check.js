// Config check: a candidate configuration checked by the server, not applied.
import { post } from "../api.js";
import { h, message, replace, table } from "../dom.js";

export async function configCheck(ctx) {
  const text = h("textarea", {
    id: "config-json", name: "config", rows: "18", spellcheck: "false", autocomplete: "off",
    "aria-describedby": "config-hint", placeholder: '{ "sites": [ … ] }',
  });
  const result = h("div", { id: "config-result", "aria-live": "polite" });
  const button = h("button", { type: "submit", class: "primary", text: "Check" });
  ctx.main.append(
    h("h1", { text: "Config check" }),
    h("form", { class: "card", on: { submit: (e) => { e.preventDefault(); check(text.value, result, button); } } },
      h("div", { class: "field" },
        h("label", { for: "config-json", text: "Configuration (JSON)" }),
        h("p", { id: "config-hint", class: "hint", text: "Paste the whole file (the object with \"sites\"). The server checks it as it would at start and answers every problem with its JSON path; nothing is applied or stored." }),
        text),
      button),
    result);
}

async function check(source, result, button) {
  try {
    JSON.parse(source);
  } catch (e) {
    replace(result, message("error", `This is not JSON: ${e.message}`));
    return;
  }
  button.disabled = true;
  replace(result, message("note", "Checking…"));
  try {
    const answer = await post("/sites/validate", source);
    const errors = answer.errors || [];
    if (answer.valid) {
      replace(result, message("ok", "Valid: the server found no errors."));
    } else {
      replace(result, message("error", `${errors.length} ${errors.length === 1 ? "error" : "errors"}:`),
        table(null, ["Path", "Reason"], errors.map((e) => [h("code", { text: e.path || "(whole file)" }), e.reason]),
          { id: "config-errors", class: "errors" }));
    }
  } catch (e) {
    if (e.status !== 401) {
      replace(result, message("error", `The server answered: ${e.message}`));
    }
  } finally {
    button.disabled = false;
  }
}
