/* The request form's delivery address (templates/inquiries/includes/delivery_address.html).
 *
 * Progressive enhancement: without this script the ward select lists the wards of the
 * province the page was made with, and "Show its wards" sends the form back with those of
 * another. With it, the wards of the chosen province load as it changes (a cached JSON
 * list), and each producer's "outside the usual area" note
 * (templates/producers/includes/delivery_terms.html) follows the chosen address, with
 * the rule of producers/delivery.py `is_outside`.
 */
(function () {
    "use strict";

    var box = document.querySelector("[data-delivery-address]");
    if (!box || !window.fetch) {
        return;
    }
    var form = box.closest("form");
    var province = box.querySelector("select[name='delivery_province']");
    var ward = box.querySelector("select[name='delivery_ward']");
    var button = box.querySelector("[data-show-wards]");
    if (!form || !province || !ward) {
        return;
    }
    var cache = {};

    function pickedUp() {
        var checked = form.querySelector("input[name='delivery']:checked");
        return Boolean(checked && checked.value === "pick_up");
    }

    function isOutside(terms, provinceCode, wardCode) {
        var area = terms.dataset.deliveryArea;
        if (!provinceCode || area === "nationwide") {
            return false;
        }
        if (provinceCode !== terms.dataset.province) {
            return true;
        }
        var own = terms.dataset.ward;
        return area === "locality" && Boolean(wardCode && own) && wardCode !== own;
    }

    function update() {
        var pickUp = pickedUp();
        box.hidden = pickUp;
        var provinceCode = pickUp ? "" : province.value;
        var wardCode = pickUp ? "" : ward.value;
        document.querySelectorAll("[data-delivery-area]").forEach(function (terms) {
            var note = terms.querySelector("[data-delivery-outside]");
            if (note) {
                note.hidden = !isOutside(terms, provinceCode, wardCode);
            }
        });
    }

    function fill(wards) {
        var choose = box.dataset.chooseLabel || "";
        ward.options.length = 0;
        ward.add(new Option(choose, ""));
        wards.forEach(function (item) {
            ward.add(new Option(item[1], String(item[0])));
        });
    }

    function wardsUrl(code) {
        return box.dataset.wardsUrl.replace(/\/0\/$/, "/" + encodeURIComponent(code) + "/");
    }

    function load() {
        var code = province.value;
        if (cache[code]) {
            fill(cache[code]);
            update();
            return;
        }
        ward.disabled = true;
        fetch(wardsUrl(code), { headers: { Accept: "application/json" } })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(String(response.status));
                }
                return response.json();
            })
            .then(
                function (data) {
                    cache[code] = data.wards;
                    if (province.value === code) {
                        fill(data.wards);
                    }
                },
                function () {
                    // Offline or refused: the button sends the form back for the wards.
                    if (button) {
                        button.hidden = false;
                    }
                }
            )
            .then(function () {
                ward.disabled = false;
                update();
            });
    }

    if (button) {
        button.hidden = true;
    }
    province.addEventListener("change", load);
    ward.addEventListener("change", update);
    form.querySelectorAll("input[name='delivery']").forEach(function (input) {
        input.addEventListener("change", update);
    });
    update();
})();
