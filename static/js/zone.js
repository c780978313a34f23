// Remember the browser's time zone in a cookie, so forms can offer it first.
// Forms work without it: the zone list is complete either way.
(function () {
  "use strict";
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      document.cookie = "cascade_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (error) {
    // An old browser without Intl time zones: nothing to remember.
  }
})();
