/* wagtail-localize's translation editor in the admin user's language.
 *
 * Its React bundle (wagtail-localize 1.14.5) takes its words from Django's JavaScript
 * catalogue (window.gettext, read when each component draws), so our djangojs.po
 * entries in locale_upstream translate them. Two texts are written in English in the
 * bundle itself, outside gettext, and no catalogue reaches them: the heading over the
 * segments (`${source} to ${target} translation`) and the hidden label of the action
 * menu's toggle ("More actions"). This script rewrites those two once React has drawn
 * them, with the same catalogue. Loaded in every editor (insert_editor_js hook,
 * marketplace/base/wagtail_hooks.py); it does nothing without a translation editor.
 * Drop it once wagtail-localize marks both texts for translation.
 */
(function () {
    "use strict";

    var HEADING = /^(.+) to (.+) translation$/;

    function translateText(node, text) {
        // The text node's data is changed in place: React keeps the node and leaves it.
        if (node && node.nodeType === Node.TEXT_NODE && node.data !== text) {
            node.data = text;
        }
    }

    function translate(editor) {
        editor.querySelectorAll("section h3").forEach(function (heading) {
            var match = HEADING.exec(heading.textContent);
            if (match) {
                var text = window.interpolate(
                    window.gettext("%(source)s to %(target)s translation"),
                    { source: match[1], target: match[2] },
                    true
                );
                translateText(heading.firstChild, text);
            }
        });
        editor.querySelectorAll(".w-dropdown__toggle .w-sr-only").forEach(function (label) {
            if (label.textContent === "More actions") {
                translateText(label.firstChild, window.gettext("More actions"));
            }
        });
    }

    function start() {
        var editor = document.querySelector(".js-translation-editor");
        if (!editor || typeof window.gettext !== "function") {
            return;
        }
        translate(editor);
        new MutationObserver(function () {
            translate(editor);
        }).observe(editor, { childList: true, subtree: true });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
