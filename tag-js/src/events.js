/**
 * How the bundles the tracker loads hand themselves over without adding a global: when a
 * bundle runs it dispatches, on `document`, a CustomEvent whose `detail` is what it offers.
 * The tracker listens from the start and keeps the first offer it hears. Each event is named
 * after the file the bundle is served as (b.js, c.js, f.js): short, as the tracker carries them.
 */

/** The banner bundle (b.js): `detail` is its API, `{show(options)}` (see banner.js). */
export var BANNER_EVENT = "spor:b";

/**
 * The collection chunk (c.js): `detail` is its start function (see collect.js), which the
 * tracker calls once with a {@link import("./collect.js").Core} and which returns the
 * chunk's {@link import("./collect.js").Collector}.
 */
export var COLLECT_EVENT = "spor:c";

/**
 * The forms chunk (f.js): `detail` is its start function (see forms.js), which the tracker
 * calls once with a {@link import("./forms.js").FormsCore}.
 */
export var FORMS_EVENT = "spor:f";
