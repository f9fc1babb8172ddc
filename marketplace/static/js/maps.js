/* Maps of producers and craft villages (templates/producers/includes/map.html).
 *
 * Progressive enhancement: without this script the map's container stays hidden and the
 * page shows the address and a link to the place on OpenStreetMap. With it, the container
 * is shown and Leaflet (the site's own copy, vendor/leaflet/) is loaded only when a map
 * comes near the screen (or its folded <details> is opened), so pages whose map is further
 * down load it only if scrolled to.
 * The markers, the tile URL and the visible strings come from the server (json_script and
 * data attributes, in the page's language).
 */
(function () {
    "use strict";

    var NEAR_SCREEN = "300px 0px";
    // Up to this many markers are in the tab order; a map of more (every producer) would
    // be a long detour for the keyboard, and the page lists the same places as links.
    var MAX_FOCUSABLE_MARKERS = 12;
    var leaflet = null;

    function load(element, attributes) {
        return new Promise(function (resolve, reject) {
            Object.keys(attributes).forEach(function (name) {
                element[name] = attributes[name];
            });
            element.onload = resolve;
            element.onerror = reject;
            document.head.appendChild(element);
        });
    }

    // Leaflet's script and its style sheet, once for every map of the page.
    function loadLeaflet(canvas) {
        if (!leaflet) {
            leaflet = Promise.all([
                load(document.createElement("link"), {
                    rel: "stylesheet",
                    href: canvas.dataset.leafletCss,
                }),
                load(document.createElement("script"), { src: canvas.dataset.leafletJs }),
            ]).then(function () {
                return window.L;
            });
        }
        return leaflet;
    }

    function escapeHtml(text) {
        return text.replace(/[&<>"']/g, function (character) {
            return "&#" + character.charCodeAt(0) + ";";
        });
    }

    // The popup's content as elements: names come from editors, never parsed as HTML.
    function popup(marker) {
        var content = document.createElement("p");
        content.className = "place-map__popup";
        var name = document.createElement(marker.url ? "a" : "strong");
        name.textContent = marker.name;
        if (marker.url) {
            name.href = marker.url;
        }
        content.appendChild(name);
        if (marker.detail) {
            var detail = document.createElement("span");
            detail.textContent = marker.detail;
            content.appendChild(detail);
        }
        return content;
    }

    function draw(L, canvas) {
        var data = JSON.parse(document.getElementById(canvas.dataset.map).textContent);
        var strings = canvas.dataset;
        var map = L.map(canvas, {
            // The page scrolls on a wheel or a finger: the map moves with its buttons,
            // the keyboard, a mouse drag, or two fingers (pinch) on a phone.
            scrollWheelZoom: false,
            dragging: !L.Browser.mobile,
            tap: false,
            zoomControl: false,
        });
        L.control
            .zoom({ zoomInTitle: strings.zoomIn, zoomOutTitle: strings.zoomOut })
            .addTo(map);
        map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');
        L.tileLayer(data.tiles, {
            maxZoom: 19,
            attribution:
                '© <a href="https://www.openstreetmap.org/copyright">' +
                escapeHtml(strings.attribution) +
                "</a>",
        }).addTo(map);

        // The icon's files by their own URLs: the static files' names carry a hash.
        L.Icon.Default.imagePath = "";
        var icon = new L.Icon.Default({
            iconUrl: strings.icon,
            iconRetinaUrl: strings.iconRetina,
            shadowUrl: strings.iconShadow,
        });
        var keyboard = data.markers.length <= MAX_FOCUSABLE_MARKERS;
        var points = data.markers.map(function (marker) {
            var point = [marker.lat, marker.lng];
            L.marker(point, { icon: icon, alt: marker.name, title: marker.name, keyboard: keyboard })
                .bindPopup(popup(marker))
                .addTo(map);
            return point;
        });
        if (points.length === 1) {
            map.setView(points[0], data.zoom);
        } else {
            map.fitBounds(points, { padding: [32, 32], maxZoom: data.zoom });
        }
        map.on("popupopen", function (event) {
            var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
            if (close) {
                close.setAttribute("aria-label", strings.closePopup);
                close.title = strings.closePopup;
            }
        });
        canvas.classList.add("place-map__canvas--ready");
    }

    function start(canvas) {
        loadLeaflet(canvas).then(
            function (L) {
                draw(L, canvas);
            },
            function () {
                // Leaflet did not load (offline, blocked): back to the link and the address.
                canvas.hidden = true;
            }
        );
    }

    function enhance() {
        var canvases = document.querySelectorAll("[data-map]");
        if (!canvases.length || !window.Promise || !document.head.dataset) {
            return;
        }
        Array.prototype.forEach.call(canvases, function (canvas) {
            canvas.hidden = false;
        });
        if (!("IntersectionObserver" in window)) {
            Array.prototype.forEach.call(canvases, start);
            return;
        }
        var observer = new IntersectionObserver(
            function (entries) {
                entries.forEach(function (entry) {
                    if (entry.isIntersecting) {
                        observer.unobserve(entry.target);
                        start(entry.target);
                    }
                });
            },
            { rootMargin: NEAR_SCREEN }
        );
        Array.prototype.forEach.call(canvases, function (canvas) {
            observer.observe(canvas);
        });
    }

    enhance();
})();
