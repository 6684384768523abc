/* Header search box: suggestions as a WAI-ARIA 1.2 combobox (list autocomplete).
 * Without JavaScript the box is a plain GET form to /suche/. Keys: ArrowDown/ArrowUp move
 * through the suggestions, Enter opens the selected one (or searches when none is selected),
 * Escape closes the list (a second Escape clears the box). The status text for screen readers
 * comes translated with the suggestions. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-suggest-url]");
  if (!form) {
    return;
  }
  var input = form.querySelector("[role='combobox']");
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var status = form.querySelector("[data-search-status]");
  var endpoint = form.getAttribute("data-suggest-url");
  var MIN_CHARS = 3;
  var items = [];
  var active = -1;
  var timer = null;
  var controller = null;
  var shownFor = null;

  function isOpen() {
    return !list.hidden;
  }

  function open() {
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  function setActive(index) {
    var options = list.querySelectorAll("[role='option']");
    active = index;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function go(index) {
    var item = items[index];
    if (item && typeof item.url === "string" && item.url.charAt(0) === "/") {
      window.location.assign(item.url);
    }
  }

  function render(suggestions, query, statusText) {
    items = suggestions;
    shownFor = query;
    list.replaceChildren();
    suggestions.forEach(function (suggestion, i) {
      var option = document.createElement("li");
      option.id = "kopf-suche-option-" + i;
      option.className = "search-suggestion";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var title = document.createElement("span");
      title.textContent = suggestion.title;
      var type = document.createElement("span");
      type.className = "search-suggestion-type";
      type.textContent = " – " + suggestion.type;
      option.append(title, type);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep focus in the box until we navigate
        go(i);
      });
      list.appendChild(option);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = statusText;
    if (suggestions.length) {
      open();
    } else {
      close();
    }
  }

  function load() {
    var query = input.value.trim();
    if (query.length < MIN_CHARS) {
      items = [];
      shownFor = null;
      list.replaceChildren();
      close();
      return;
    }
    if (query === shownFor) {
      open();
      return;
    }
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    fetch(endpoint + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller.signal
    })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (data) {
        if (input.value.trim() === query) {
          render(
            Array.isArray(data.suggestions) ? data.suggestions : [],
            query,
            typeof data.status === "string" ? data.status : ""
          );
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          close();
        }
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 200);
  });

  input.addEventListener("keydown", function (event) {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!isOpen()) {
          if (items.length && input.value.trim() === shownFor) {
            open();
          } else {
            load();
          }
          return;
        }
        setActive(active >= items.length - 1 ? 0 : active + 1);
        break;
      case "ArrowUp":
        if (isOpen()) {
          event.preventDefault();
          setActive(active <= 0 ? items.length - 1 : active - 1);
        }
        break;
      case "Enter":
        if (isOpen() && active >= 0) {
          event.preventDefault();
          go(active);
        }
        break;
      case "Escape":
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          items = [];
          shownFor = null;
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", function () {
    close();
  });
})();
