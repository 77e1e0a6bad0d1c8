/* cpdfolio: opens a page of a portfolio sealed with a passphrase (see sealing.py).
 *
 * Every page of the site is a lock page that carries the real page as AES-256-GCM
 * ciphertext. The passphrase is turned into a key with PBKDF2-HMAC-SHA256 by the
 * browser's own WebCrypto, as a CryptoKey that cannot be exported: no script, this
 * one included, can read its bytes. It is kept in IndexedDB (which stores a
 * CryptoKey as it is, still not exportable) under an id that only this tab's
 * sessionStorage knows, so that the next page opens without asking again and a
 * closed tab leaves nothing that opens the portfolio. The passphrase is never kept.
 *
 * Once open, the page's HTML replaces the lock page (document.write, so the theme's
 * scripts run as on any page); search is handed the decrypted index (an XHR to the
 * index is answered from memory; from disk, the theme reads the __index global);
 * evidence and other sealed files open from memory as blob: URLs.
 */
(function () {
  "use strict";
  var DB = "cpdfolio-sealing";
  var STORE = "keys";
  var SESSION = "cpdfolio-session";
  var KEPT_FOR = 12 * 60 * 60 * 1000; // a key older than this is dropped at the next unlock
  var WRONG = "That passphrase does not open this portfolio. Check it and try again.";
  var VIEWABLE = /^(image\/|text\/plain|application\/pdf|audio\/|video\/)/;

  var sealedElement = document.getElementById("cpdfolio-sealed");
  if (!sealedElement) return;
  var sealed = JSON.parse(sealedElement.textContent);
  var root = new URL(sealed.root, location.href).href;
  var form = document.getElementById("cpdfolio-unlock");
  var field = document.getElementById("cpdfolio-passphrase");
  var button = document.getElementById("cpdfolio-open");
  var message = document.getElementById("cpdfolio-message");
  var waiting = {};

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? "message error" : "message";
  }

  function bytes(base64) {
    var text = atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    return out;
  }

  function decrypt(key, nonce, data) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(nonce) }, key, bytes(data));
  }

  async function derive(passphrase) {
    var material = await crypto.subtle.importKey(
      "raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]
    );
    return crypto.subtle.deriveKey(
      { name: "PBKDF2", salt: bytes(sealed.salt), iterations: sealed.iterations, hash: "SHA-256" },
      material,
      { name: "AES-GCM", length: 256 },
      false, // not extractable: the key's bytes stay inside the browser's crypto
      ["decrypt"]
    );
  }

  // -- the key between pages: IndexedDB, under an id known to this tab only ------------

  function store(mode, work) {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE);
      };
      request.onerror = function () {
        reject(request.error);
      };
      request.onsuccess = function () {
        var db = request.result;
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          db.close();
          resolve(result && result.result);
        };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      };
    });
  }

  function session() {
    var id = sessionStorage.getItem(SESSION);
    if (!id) {
      id = Array.from(crypto.getRandomValues(new Uint8Array(16)), function (b) {
        return b.toString(16).padStart(2, "0");
      }).join("");
      sessionStorage.setItem(SESSION, id);
    }
    return id;
  }

  async function storedKey() {
    if (!sessionStorage.getItem(SESSION)) return null;
    var entry = await store("readonly", function (keys) {
      return keys.get(session() + " " + sealed.salt);
    });
    return entry ? entry.key : null;
  }

  function remember(key) {
    var id = session() + " " + sealed.salt;
    var now = Date.now();
    return store("readwrite", function (keys) {
      keys.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (!cursor) return;
        if (cursor.key !== id && !(cursor.value.time > now - KEPT_FOR)) cursor.delete();
        cursor.continue();
      };
      return keys.put({ key: key, time: now }, id);
    });
  }

  // -- sealed files: loaded as scripts, which a page opened from disk may load too ------

  window.cpdfolioSealed = function (id, nonce, data) {
    if (waiting[id]) waiting[id]({ nonce: nonce, data: data });
  };

  function sealedFile(key, id) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      waiting[id] = function (found) {
        delete waiting[id];
        script.remove();
        resolve(decrypt(key, found.nonce, found.data));
      };
      script.onerror = function () {
        script.remove();
        reject(new Error("a sealed file is missing: " + id));
      };
      script.src = root + "sealed/" + id + ".js";
      document.head.appendChild(script);
    });
  }

  function text(buffer) {
    return new TextDecoder().decode(buffer);
  }

  function sitePath(url) {
    try {
      var address = new URL(url, document.baseURI);
      address.hash = "";
      address.search = "";
      if (address.href.indexOf(root) !== 0) return null;
      return decodeURIComponent(address.href.slice(root.length));
    } catch (error) {
      return null;
    }
  }

  // -- search: the index decrypted before the theme's scripts ask for it ----------------

  async function prepareSearch(key, manifest) {
    var paths = Object.keys(manifest.search || {});
    if (!paths.length) return;
    var index = text(await sealedFile(key, manifest.search[paths[0]]));
    window.__index = JSON.parse(index); // what the theme reads from disk (file://)
    var answer = URL.createObjectURL(new Blob([index], { type: "application/json" }));
    var open = XMLHttpRequest.prototype.open;
    XMLHttpRequest.prototype.open = function (method, url) {
      var args = Array.prototype.slice.call(arguments);
      var path = sitePath(url);
      if (path !== null && paths.indexOf(path) >= 0) args[1] = answer;
      return open.apply(this, args);
    };
    if (window.fetch) {
      var fetching = window.fetch;
      window.fetch = function (resource, options) {
        var path = typeof resource === "string" ? sitePath(resource) : null;
        return fetching.call(window, path !== null && paths.indexOf(path) >= 0 ? answer : resource, options);
      };
    }
  }

  // -- evidence and other sealed files in the page ---------------------------------------

  var EMBEDS = "img[src], source[src], video[src], audio[src], embed[src]";

  function withoutSealedSources(page, files) {
    // An image of a sealed file would be asked of the server by its old name (and
    // fail) before it is shown from memory: its src waits in a data- attribute.
    var parsed = new DOMParser().parseFromString(page, "text/html");
    var moved = 0;
    parsed.querySelectorAll(EMBEDS).forEach(function (element) {
      if (!files[sitePath(element.getAttribute("src"))]) return;
      element.setAttribute("data-cpdfolio-src", element.getAttribute("src"));
      element.removeAttribute("src");
      moved++;
    });
    // A responsive image's candidates and a video's poster name sealed files too.
    ["srcset", "poster"].forEach(function (attribute) {
      parsed.querySelectorAll("[" + attribute + "]").forEach(function (element) {
        var value = element.getAttribute(attribute);
        var named = attribute === "srcset" ? candidates(value) : [value];
        if (!named.some(function (address) { return files[sitePath(address)]; })) return;
        element.setAttribute("data-cpdfolio-" + attribute, value);
        element.removeAttribute(attribute);
        moved++;
      });
    });
    if (!moved) return page;
    var doctype = parsed.doctype ? "<!DOCTYPE " + parsed.doctype.name + ">" : "";
    return doctype + parsed.documentElement.outerHTML;
  }

  function candidates(srcset) {
    // "a.png 1x, b.png 2x": the address of each candidate, its descriptor left out.
    return srcset.split(",").map(function (candidate) {
      return candidate.trim().split(/\s+/)[0];
    }).filter(Boolean);
  }

  function revealFiles(key, manifest) {
    var files = manifest.files || {};

    function opened(address) {
      // A sealed file as a blob: address; any other address as it was.
      var entry = files[sitePath(address)];
      if (!entry) return Promise.resolve(address);
      return sealedFile(key, entry.id).then(function (data) {
        return URL.createObjectURL(new Blob([data], { type: entry.type }));
      });
    }

    document.querySelectorAll("[data-cpdfolio-src]").forEach(function (element) {
      opened(element.getAttribute("data-cpdfolio-src")).then(function (address) {
        element.src = address;
      });
    });
    document.querySelectorAll("[data-cpdfolio-poster]").forEach(function (element) {
      opened(element.getAttribute("data-cpdfolio-poster")).then(function (address) {
        element.poster = address;
      });
    });
    document.querySelectorAll("[data-cpdfolio-srcset]").forEach(function (element) {
      var parts = element.getAttribute("data-cpdfolio-srcset").split(",").map(function (part) {
        return part.trim().split(/\s+/);
      }).filter(function (bits) { return bits[0]; });
      Promise.all(parts.map(function (bits) {
        return opened(bits[0]).then(function (address) {
          return [address].concat(bits.slice(1)).join(" ");
        });
      })).then(function (opened) {
        element.srcset = opened.join(", ");
      });
    });
    document.addEventListener(
      "click",
      function (event) {
        var link = event.target.closest && event.target.closest("a[href]");
        var entry = link && files[sitePath(link.getAttribute("href"))];
        if (!entry) return;
        event.preventDefault();
        event.stopPropagation();
        sealedFile(key, entry.id).then(function (data) {
          var address = URL.createObjectURL(new Blob([data], { type: entry.type }));
          if (VIEWABLE.test(entry.type)) {
            location.assign(address);
            return;
          }
          var download = document.createElement("a");
          download.href = address;
          download.download = entry.name;
          document.body.appendChild(download);
          download.click();
          download.remove();
        });
      },
      true
    );
  }

  function whenParsed(work) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", work);
    else work();
  }

  async function show(key, page) {
    var manifest = JSON.parse(text(await sealedFile(key, "manifest")));
    await prepareSearch(key, manifest);
    page = withoutSealedSources(page, manifest.files || {});
    document.open();
    document.write(page);
    document.close();
    whenParsed(function () {
      revealFiles(key, manifest);
      if (location.hash) {
        var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (target) target.scrollIntoView();
      }
    });
  }

  async function start() {
    if (!window.crypto || !crypto.subtle) {
      say(
        "This browser cannot open the portfolio from this address: open it from an " +
          "https:// address, or from the unzipped folder on this computer.",
        true
      );
      return;
    }
    var key = null;
    try {
      key = await storedKey();
    } catch (error) {
      key = null; // no IndexedDB here: each page asks for the passphrase
    }
    if (key) {
      try {
        var page = text(await decrypt(key, sealed.nonce, sealed.data));
        await show(key, page);
        return;
      } catch (error) {
        // A key of another build of the site: ask again.
      }
    }
    form.hidden = false;
    field.focus();
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    button.disabled = true;
    say("Opening…");
    try {
      var key = await derive(field.value);
      var page;
      try {
        page = text(await decrypt(key, sealed.nonce, sealed.data));
      } catch (error) {
        say(WRONG, true);
        field.select();
        return;
      }
      field.value = "";
      try {
        await remember(key);
      } catch (error) {
        // Without IndexedDB the key lives as long as this page: the next one asks again.
      }
      await show(key, page);
    } catch (error) {
      say("The portfolio could not be opened here: " + error.message, true);
    } finally {
      button.disabled = false;
    }
  });

  start();
})();
