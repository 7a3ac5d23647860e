/**
 * How the bundles the tracker loads hand themselves over without adding a global: when a
 * bundle runs it dispatches, on `document`, a CustomEvent whose `detail` is what it offers.
 * The tracker listens from the start and keeps the first offer it hears.
 */

/** The banner bundle (b.js): `detail` is its API, `{show(options)}` (see banner.js). */
export var BANNER_EVENT = "spor:banner";

/**
 * The collection chunk (c.js): `detail` is its start function (see collect.js), which the
 * tracker calls once with a {@link import("./collect.js").Core} and which returns the
 * chunk's {@link import("./collect.js").Collector}.
 */
export var COLLECT_EVENT = "spor:collect";

/**
 * The forms chunk (f.js): `detail` is its start function (see forms.js), which the tracker
 * calls once with a {@link import("./forms.js").FormsCore}.
 */
export var FORMS_EVENT = "spor:forms";
