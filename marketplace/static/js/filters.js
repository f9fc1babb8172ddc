/* Listing and search filters that apply as they change.
 *
 * Progressive enhancement of the GET forms marked data-live-filters: without this
 * script their submit button applies them. With it, a change fetches the page the
 * form asks for and puts its results and filters in place of these (the panel stays
 * open, focus stays on the control just changed), updates the address, and announces
 * the new number of results in the form's status region. On wide screens the folded
 * filter panel opens, as a sidebar. Any failure falls back to submitting the form.
 */
(function () {
    "use strict";

    var WIDE = "(min-width: 60em)";

    function queryString(form) {
        var params = new URLSearchParams();
        new FormData(form).forEach(function (value, name) {
            if (value !== "") {
                params.append(name, value);
            }
        });
        return params.toString();
    }

    // The control to focus after the swap: the same name (and value, for checkboxes).
    function selectorFor(control) {
        if (!control || !control.name) {
            return null;
        }
        var selector = "[name='" + CSS.escape(control.name) + "']";
        if (control.type === "checkbox" || control.type === "radio") {
            selector += "[value='" + CSS.escape(control.value) + "']";
        }
        return selector;
    }

    function replace(current, fresh) {
        if (current && fresh) {
            current.replaceWith(document.importNode(fresh, true));
        }
    }

    function enhance(form) {
        if (!window.fetch || !window.DOMParser || !window.URLSearchParams || !window.CSS) {
            return;
        }
        var panel = form.querySelector("[data-filters-panel]");
        var status = form.querySelector("[data-filters-status]");
        var controller = null;
        form.classList.add("filters--live");
        if (panel && window.matchMedia(WIDE).matches) {
            panel.open = true;
        }

        function apply(changed, done) {
            var url = (form.getAttribute("action") || window.location.pathname) + "?" + queryString(form);
            if (controller) {
                controller.abort();
            }
            controller = window.AbortController ? new AbortController() : null;
            form.setAttribute("aria-busy", "true");
            fetch(url, {
                credentials: "same-origin",
                headers: { Accept: "text/html" },
                signal: controller ? controller.signal : undefined,
            })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error("HTTP " + response.status);
                    }
                    return response.text();
                })
                .then(function (html) {
                    var page = new DOMParser().parseFromString(html, "text/html");
                    var focused = selectorFor(changed);
                    replace(
                        document.querySelector("[data-listing-results]"),
                        page.querySelector("[data-listing-results]")
                    );
                    replace(
                        form.querySelector("[data-filters-fields]"),
                        page.querySelector("[data-live-filters] [data-filters-fields]")
                    );
                    replace(
                        form.querySelector(".filters__toggle"),
                        page.querySelector("[data-live-filters] .filters__toggle")
                    );
                    window.history.replaceState(null, "", url);
                    var target = focused && form.querySelector(focused);
                    if (target && document.activeElement !== target) {
                        target.focus();
                    }
                    var count = document.querySelector("[data-results-count]");
                    if (status && count) {
                        status.textContent = count.textContent.trim();
                    }
                    form.removeAttribute("aria-busy");
                    if (done) {
                        done();
                    }
                })
                .catch(function (error) {
                    if (error && error.name === "AbortError") {
                        return;
                    }
                    form.submit();
                });
        }

        form.addEventListener("change", function (event) {
            if (event.target.name) {
                apply(event.target);
            }
        });
        // The button (shown while the panel is open on a phone): apply, fold the panel
        // and go to the results. Enter in a field: apply.
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            var button = event.submitter && event.submitter.classList.contains("filters__submit");
            apply(document.activeElement, function () {
                var count = document.querySelector("[data-results-count]");
                if (button && panel && count) {
                    panel.open = false;
                    count.setAttribute("tabindex", "-1");
                    count.focus();
                }
            });
        });
    }

    function start() {
        Array.prototype.forEach.call(document.querySelectorAll("form[data-live-filters]"), enhance);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
