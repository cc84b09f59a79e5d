"""Administrative regions (kecamatan, kelurahan) with Kemendagri codes."""
