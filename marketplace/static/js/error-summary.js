/* The error summary of a form (templates/includes/error_summary.html).
 *
 * Progressive enhancement: without this script the form's action ends in #error-summary,
 * so the page opens scrolled to the summary, and its links jump to the fields. With it,
 * focus moves to the summary (screen readers read it), and a link moves focus to its
 * field with the field's label in view, as a label alone does not follow a jump.
 */
(function () {
    "use strict";

    var FIELDS = "input:not([type='hidden']), select, textarea";

    function labelOf(input) {
        var fieldset = input.closest("fieldset");
        if ((input.type === "radio" || input.type === "checkbox") && fieldset) {
            return fieldset.querySelector("legend") || fieldset;
        }
        return (input.labels && input.labels[0]) || input;
    }

    function fieldOf(target) {
        return target.matches(FIELDS) ? target : target.querySelector(FIELDS);
    }

    function enhance(summary) {
        summary.addEventListener("click", function (event) {
            var link = event.target.closest("a[href^='#']");
            var target = link && document.getElementById(link.getAttribute("href").slice(1));
            var input = target && fieldOf(target);
            if (!input) {
                return;
            }
            event.preventDefault();
            labelOf(input).scrollIntoView({ block: "start" });
            input.focus({ preventScroll: true });
        });
        summary.scrollIntoView({ block: "start" });
        summary.focus({ preventScroll: true });
    }

    var summary = document.querySelector("[data-error-summary]");
    if (summary && summary.closest) {
        enhance(summary);
    }
})();
