# Vietnamese write short dates with slashes (27/11/2026), as on OCOP decisions;
# Django's own Vietnamese formats use dashes.
DATE_FORMAT = r"j \t\há\n\g n \nă\m Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
# Django leaves grouping off for Vietnamese: 100.000, not 100000.
NUMBER_GROUPING = 3
