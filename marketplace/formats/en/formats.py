# Visitors come from everywhere: "29 Apr 2026" reads the same to all, "04/29/2026" does not.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
