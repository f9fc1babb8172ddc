/* Copy buttons (templates/inquiries/includes/copy_value.html): copy a value shown on the
 * page, such as a bank account number, and say so through the nearest aria-live region
 * ([data-copy-status]). Progressive enhancement: the buttons stay hidden where this
 * script does not run or the browser cannot write to the clipboard; the values are
 * plain selectable text. Messages come from data attributes, in the page's language.
 */
(function () {
    "use strict";

    if (!navigator.clipboard || !navigator.clipboard.writeText) {
        return;
    }

    function statusFor(button) {
        var scope = button.closest("section") || document;
        return scope.querySelector("[data-copy-status]");
    }

    function copy(button) {
        var source = document.getElementById(button.dataset.copy);
        if (!source) {
            return;
        }
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
            var status = statusFor(button);
            button.classList.add("is-copied");
            if (status) {
                // Emptied first, so that copying the same value twice is announced twice.
                status.textContent = "";
                window.setTimeout(function () {
                    status.textContent = button.dataset.copied;
                }, 50);
            }
        });
    }

    document.querySelectorAll("[data-copy]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
            copy(button);
        });
    });
})();
