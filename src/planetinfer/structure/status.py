"""Status codes of a structure solve (one integer per planet; batched solves never raise)."""

OK = 0
NOT_CONVERGED = 1  # shooting on ln Pc did not reach the tolerance within the iteration limit
NON_FINITE = 2  # radius, k2 or moment of inertia came out NaN or infinite
PRESSURE_OUT_OF_TABLE = 3  # central pressure above the EoS tables (1e15 Pa)

STATUS_MEANING = {
    OK: "ok",
    NOT_CONVERGED: "shooting did not converge",
    NON_FINITE: "non-finite result",
    PRESSURE_OUT_OF_TABLE: "central pressure above the EoS table range",
}
INVALID_INPUT = 4  # the row's inputs failed validation (batch jobs flag bad rows and continue)
STATUS_MEANING[INVALID_INPUT] = "invalid input"
UNBOUND_ATMOSPHERE = 5  # Teq envelope: the isothermal layer above the RCB does not end (Jeans-like)
STATUS_MEANING[UNBOUND_ATMOSPHERE] = "isothermal atmosphere unbound"
