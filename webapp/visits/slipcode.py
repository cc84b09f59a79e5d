"""The slip's short code: what the gate types when a slip's QR code will not scan (docs/slip-code.md)."""
import hashlib

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: nothing a tired officer can misread on paper.
ALPHABET = "ACDEFHJKMNPQRTWXY34679"
LENGTH = 7


def slip_code(qr_token: str) -> str:
    """Seven characters drawn from a hash of the slip's random QR token (never from personal data);
    a follow-up visit copies the token, so the printed code keeps working there too."""
    number = int.from_bytes(hashlib.sha256(f"jemput-slip-code/v1:{qr_token}".encode()).digest()[:8], "big")
    out = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(out)


def printed(code: str) -> str:
    """The code as printed: two groups, easier to read aloud and to type."""
    return f"{code[:3]}-{code[3:]}"
