/* Adding to the inquiry list without leaving the page.
 *
 * Progressive enhancement of the add forms (templates/inquiries/includes/add_to_list*.html,
 * marked data-add-to-list): without this script they post and the page comes back at the
 * form. With it, the form is sent with fetch, asking for JSON (inquiries.views.add), and
 * the answer is written into the form's status line (role="status", aria-live="polite"),
 * the header's count updated; focus stays where it is, on a refused quantity it goes to
 * the input. The texts come from the server, in the page's language. When the request
 * fails (network, an answer that is not the view's JSON), the form is sent normally.
 */
(function () {
    "use strict";

    if (!window.fetch || !window.FormData) {
        return;
    }

    function statusOf(form) {
        return form.querySelector(".add-status");
    }

    function quantityInput(form) {
        return form.querySelector("input[name='quantity']:not([type='hidden'])");
    }

    function write(status, data, refused) {
        status.classList.toggle("add-status--error", refused);
        status.appendChild(document.createTextNode(data.message || ""));
        if (data.list_url && data.list_link) {
            var link = document.createElement("a");
            link.href = data.list_url;
            link.textContent = data.list_link;
            status.appendChild(document.createTextNode(" "));
            status.appendChild(link);
        }
    }

    function markQuantity(form, status, refused) {
        var input = quantityInput(form);
        if (!input) {
            return;
        }
        if (refused) {
            input.setAttribute("aria-invalid", "true");
            input.setAttribute("aria-describedby", status.id);
            input.focus();
        } else {
            input.removeAttribute("aria-invalid");
            input.removeAttribute("aria-describedby");
        }
    }

    function updateCount(count) {
        var counts = document.querySelectorAll(".inquiry-link__count");
        for (var i = 0; i < counts.length; i++) {
            counts[i].textContent = "(" + count + ")";
        }
    }

    function answer(response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
            // A CSRF failure page, a proxy's error page: let the browser show it.
            throw new Error("Not the view's answer: " + response.status);
        }
        return response.json().then(function (data) {
            return { ok: response.ok, data: data };
        });
    }

    function send(form) {
        var status = statusOf(form);
        form.setAttribute("aria-busy", "true");
        // Emptied first, so that the same message twice is announced twice.
        status.textContent = "";
        fetch(form.action, {
            method: "POST",
            body: new FormData(form),
            headers: { Accept: "application/json" },
            credentials: "same-origin",
        })
            .then(answer)
            .then(function (result) {
                form.removeAttribute("aria-busy");
                write(status, result.data, !result.ok);
                var quantityRefused = !result.ok && result.data.errors && result.data.errors.quantity;
                markQuantity(form, status, Boolean(quantityRefused));
                if (result.ok) {
                    updateCount(result.data.count);
                }
            })
            .catch(function () {
                form.removeAttribute("aria-busy");
                // Not form.submit(): an input named "submit" would hide it.
                HTMLFormElement.prototype.submit.call(form);
            });
    }

    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-add-to-list")) {
            return;
        }
        if (!statusOf(form)) {
            return;
        }
        event.preventDefault();
        if (form.getAttribute("aria-busy") === "true") {
            return; // a double click: the first is on its way
        }
        send(form);
    });
})();
