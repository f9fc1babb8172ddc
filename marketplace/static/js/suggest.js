/* Search suggestions for the header's search box: the ARIA 1.2 combobox pattern.
 *
 * Progressive enhancement: without this script the box is a plain GET form. The
 * visible strings (type labels, the live region's messages) come from data attributes
 * the server renders in the page's language, so nothing here depends on a language.
 */
(function () {
    "use strict";

    var DEBOUNCE_MS = 150;
    var MIN_CHARS = 2;
    var MAX_CHARS = 200;

    function camel(type) {
        return type.replace(/_([a-z])/g, function (_, letter) {
            return letter.toUpperCase();
        });
    }

    function enhance(form) {
        var input = form.querySelector("input[name='q']");
        var url = form.dataset.suggestUrl;
        if (!input || !url || !window.fetch || !window.AbortController) {
            return;
        }
        var data = form.dataset;
        var listboxId = input.id + "-suggestions";
        var timer = null;
        var controller = null;
        var suggestions = [];
        var active = -1;

        var listbox = document.createElement("ul");
        listbox.id = listboxId;
        listbox.className = "site-search__suggestions";
        listbox.setAttribute("role", "listbox");
        listbox.setAttribute("aria-label", data.listboxLabel || "");
        listbox.hidden = true;

        var status = document.createElement("div");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        status.setAttribute("aria-atomic", "true");

        form.classList.add("site-search--suggest");
        form.appendChild(listbox);
        form.appendChild(status);

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listboxId);
        input.setAttribute("autocomplete", "off");

        function announce(count) {
            var message;
            if (count === 0) {
                message = data.statusNone || "";
            } else if (count === 1) {
                message = data.statusOne || "";
            } else {
                message = (data.statusMany || "").replace("{count}", String(count));
            }
            status.textContent = message;
        }

        function setActive(index) {
            var options = listbox.children;
            if (active >= 0 && options[active]) {
                options[active].setAttribute("aria-selected", "false");
            }
            active = index;
            if (active >= 0 && options[active]) {
                options[active].setAttribute("aria-selected", "true");
                input.setAttribute("aria-activedescendant", options[active].id);
                options[active].scrollIntoView({block: "nearest"});
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function close() {
            listbox.hidden = true;
            input.setAttribute("aria-expanded", "false");
            setActive(-1);
        }

        function cancel() {
            window.clearTimeout(timer);
            if (controller) {
                controller.abort();
                controller = null;
            }
        }

        function go(index) {
            var suggestion = suggestions[index];
            if (suggestion && suggestion.url) {
                close();
                window.location.assign(suggestion.url);
            }
        }

        function render(items) {
            suggestions = items.filter(function (item) {
                return item && item.text && item.url;
            });
            active = -1;
            input.removeAttribute("aria-activedescendant");
            listbox.textContent = "";
            suggestions.forEach(function (item, index) {
                var option = document.createElement("li");
                option.id = listboxId + "-" + index;
                option.className = "site-search__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                var text = document.createElement("span");
                text.className = "site-search__option-text";
                text.textContent = item.text;
                option.appendChild(text);
                var key = camel(String(item.type || ""));
                var label = data["type" + key.charAt(0).toUpperCase() + key.slice(1)];
                if (label) {
                    var type = document.createElement("span");
                    type.className = "site-search__option-type";
                    type.textContent = label;
                    option.appendChild(type);
                }
                listbox.appendChild(option);
            });
            announce(suggestions.length);
            if (suggestions.length && document.activeElement === input) {
                listbox.hidden = false;
                input.setAttribute("aria-expanded", "true");
            } else {
                close();
            }
        }

        function fetchSuggestions(query) {
            controller = new AbortController();
            var params = new URLSearchParams({q: query, lang: data.language || ""});
            window.fetch(url + "?" + params.toString(), {
                signal: controller.signal,
                headers: {Accept: "application/json"},
                credentials: "same-origin",
            })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error("HTTP " + response.status);
                    }
                    return response.json();
                })
                .then(function (body) {
                    if (input.value.trim().slice(0, MAX_CHARS) === query) {
                        render(body.suggestions || []);
                    }
                })
                .catch(function (error) {
                    if (error.name !== "AbortError") {
                        render([]);
                    }
                });
        }

        function update() {
            cancel();
            var query = input.value.trim().slice(0, MAX_CHARS);
            if (query.length < MIN_CHARS) {
                suggestions = [];
                listbox.textContent = "";
                status.textContent = "";
                close();
                return;
            }
            timer = window.setTimeout(function () {
                fetchSuggestions(query);
            }, DEBOUNCE_MS);
        }

        input.addEventListener("input", update);

        input.addEventListener("keydown", function (event) {
            var open = !listbox.hidden;
            switch (event.key) {
                case "ArrowDown":
                    if (!suggestions.length) {
                        return;
                    }
                    event.preventDefault();
                    if (!open) {
                        listbox.hidden = false;
                        input.setAttribute("aria-expanded", "true");
                        setActive(0);
                    } else {
                        setActive(active + 1 < suggestions.length ? active + 1 : 0);
                    }
                    break;
                case "ArrowUp":
                    if (!suggestions.length) {
                        return;
                    }
                    event.preventDefault();
                    if (!open) {
                        listbox.hidden = false;
                        input.setAttribute("aria-expanded", "true");
                        setActive(suggestions.length - 1);
                    } else {
                        setActive(active > 0 ? active - 1 : suggestions.length - 1);
                    }
                    break;
                case "Enter":
                    if (open && active >= 0) {
                        event.preventDefault();
                        go(active);
                    }
                    break;
                case "Escape":
                    if (open) {
                        event.preventDefault();
                        close();
                    }
                    break;
                case "Tab":
                    close();
                    break;
                default:
                    break;
            }
        });

        // Keep the focus in the box while an option is pressed, then follow it.
        listbox.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        listbox.addEventListener("click", function (event) {
            var option = event.target.closest("[role='option']");
            if (option) {
                go(Array.prototype.indexOf.call(listbox.children, option));
            }
        });

        document.addEventListener("click", function (event) {
            if (!form.contains(event.target)) {
                close();
            }
        });
        input.addEventListener("blur", function () {
            close();
        });
        form.addEventListener("submit", function () {
            cancel();
            close();
        });
    }

    function init() {
        var forms = document.querySelectorAll("form.site-search[data-suggest-url]");
        Array.prototype.forEach.call(forms, enhance);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
