/* cpdfolio: search on a portfolio protected with a passphrase.
 *
 * mkdocs-encryptcontent-plugin takes every page's search entries out of the clear
 * index and encrypts them with the pages' key (search/encrypted_search_index.js,
 * written by cpdfolio from its JSON so that pages opened from disk can load it).
 * Material's search indexes only what its worker is given at the start, so this
 * script, loaded before Material's, wraps the worker: once the passphrase has
 * unlocked a page (the plugin keeps the key in this tab's sessionStorage), it
 * decrypts the entries with the browser's WebCrypto and sets the worker up again
 * with them. The passphrase itself is never seen here.
 */
(function () {
  "use strict";
  var Base = window.Worker;
  if (!Base || !window.crypto || !window.crypto.subtle) return;

  function keyFor(id) {
    try {
      return window.sessionStorage.getItem(id);
    } catch (error) {
      return null;
    }
  }

  function unlocked() {
    return new Promise(function (resolve) {
      function check() {
        var ready = typeof encryptcontent_id !== "undefined" && keyFor(encryptcontent_id);
        if (ready) resolve();
        return ready;
      }
      if (check()) return;
      window.addEventListener("encryptcontent_event", function listen() {
        if (check()) window.removeEventListener("encryptcontent_event", listen);
      });
    });
  }

  function encryptedEntries() {
    return new Promise(function (resolve, reject) {
      if (window.__cpdfolioSearch) return resolve(window.__cpdfolioSearch);
      var config = JSON.parse(document.getElementById("__config").textContent);
      var base = new URL(config.base, window.location.href);
      var script = document.createElement("script");
      script.src = new URL("search/encrypted_search_index.js", base).href;
      script.onload = function () {
        resolve(window.__cpdfolioSearch || {});
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function bytes(base64) {
    return Uint8Array.from(atob(base64), function (c) {
      return c.charCodeAt(0);
    });
  }

  async function decrypt(hexKey, bundle) {
    var parts = bundle.split(";");
    var raw = new Uint8Array(hexKey.match(/../g).map(function (h) {
      return parseInt(h, 16);
    }));
    var key = await crypto.subtle.importKey("raw", raw, "AES-CBC", false, ["decrypt"]);
    var plain = await crypto.subtle.decrypt(
      { name: "AES-CBC", iv: bytes(parts[0]) }, key, bytes(parts[1])
    );
    return JSON.parse(new TextDecoder().decode(plain));
  }

  async function records() {
    await unlocked();
    var encrypted = await encryptedEntries();
    var docs = [];
    for (var id in encrypted) {
      var key = keyFor(id);
      if (!key) continue;
      try {
        docs = docs.concat(await decrypt(key, encrypted[id]));
      } catch (error) {
        // A key kept from another build of the site: its entries stay locked.
      }
    }
    return docs;
  }

  window.Worker = class extends Base {
    postMessage(message) {
      super.postMessage.apply(this, arguments);
      // Material's setup message: { type: 0, data: { config, docs, options } }.
      if (!message || message.type !== 0 || !message.data || this.cpdfolioUnlocking) return;
      this.cpdfolioUnlocking = true;
      var worker = this;
      records().then(function (docs) {
        if (!docs.length) return;
        var data = Object.assign({}, message.data, { docs: message.data.docs.concat(docs) });
        Base.prototype.postMessage.call(worker, { type: 0, data: data });
      });
    }
  };
})();
