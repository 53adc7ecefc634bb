#!/usr/bin/env python3
"""Checks PromptTrail's attestation bundles with the Sigstore and Secure Systems Lab projects' own code.

    attestation_check.py DIR

For every DIR/<name>.sigstore.json with a DIR/<name>.pub.pem beside it:

- the bundle parses with sigstore-protobuf-specs' message models as a v0.3 bundle whose content is a
  DSSE envelope with exactly one signature and whose verification material is a public-key hint; the
  models read back every member that was written (nothing is silently dropped as unknown);
- the DSSE envelope verifies with securesystemslib given only the public key PEM: the key id is
  computed here as the SHA-256 of the key's DER SubjectPublicKeyInfo, and must equal the signature's
  key id and the bundle's hint; the same envelope with one payload byte changed, or checked with a
  freshly generated key of the same kind, must not verify;
- OpenSSL verifies the signature over the pre-authentication encoding with the PEM key, with the
  commands docs/archive-format.md gives;
- the payload is an in-toto Statement v1 that the bundled schemas accept
  (schemas/prompttrail/intoto-statement.json, and archive-predicate.json for PromptTrail's predicate).

Prints one line per bundle and exits 1 with a list of failures. Called by the Swift tests
(TrailAuditTests, AttestationTests); independent of PromptTrail's code.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import betterproto
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import SSlibKey
from sigstore_protobuf_specs.dev.sigstore.bundle.v1 import Bundle

ROOT = Path(__file__).resolve().parents[2]
MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://schemas.prompttrail.dev/attestation/archive/v1"

STATEMENT_SCHEMA = "https://schemas.prompttrail.dev/prompttrail/intoto-statement/v1.json"
SCHEMAS = {
    document["$id"]: document
    for document in (
        json.loads((ROOT / "schemas" / "prompttrail" / f"{name}.json").read_text(encoding="utf-8"))
        for name in ("intoto-statement", "archive-predicate")
    )
}
REGISTRY = Registry().with_resources(
    (schema_id, Resource.from_contents(document, default_specification=DRAFT202012))
    for schema_id, document in SCHEMAS.items()
)

failures: list[str] = []


def check(condition: bool, name: str, message: str) -> None:
    if not condition:
        failures.append(f"{name}: {message}")


def verifies(envelope: dict, key: SSlibKey) -> bool:
    try:
        Envelope.from_dict(json.loads(json.dumps(envelope))).verify([key], 1)
        return True
    except VerificationError:
        return False


def other_key(public_key) -> SSlibKey:
    """A fresh public key of the same kind; the caller gives it the real key id, so only the signature can fail."""
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        fresh = ed25519.Ed25519PrivateKey.generate().public_key()
    else:
        fresh = ec.generate_private_key(ec.SECP256R1()).public_key()
    return fresh


def check_bundle(name: str, bundle_path: Path, key_path: Path) -> None:
    text = bundle_path.read_text(encoding="utf-8")
    document = json.loads(text)

    # (b) Sigstore's message models.
    bundle = Bundle.from_dict(document)
    check(bundle.media_type == MEDIA_TYPE, name, f"media type {bundle.media_type}")
    content, envelope = betterproto.which_one_of(bundle, "content")
    check(content == "dsse_envelope", name, f"bundle content is {content}, not a DSSE envelope")
    material, identifier = betterproto.which_one_of(bundle.verification_material, "content")
    check(material == "public_key", name, f"verification material is {material}, not a public-key hint")
    check(len(envelope.signatures) == 1, name, f"{len(envelope.signatures)} DSSE signatures, expected exactly one")
    check(bool(identifier.hint), name, "empty public-key hint")
    check(len(bundle.verification_material.tlog_entries) == 0, name, "unexpected transparency log entries")
    # Everything written was understood: the models write back the same members (they omit the empty
    # tlogEntries list, as protobuf JSON omits empty repeated fields).
    expected = json.loads(text)
    if expected.get("verificationMaterial", {}).get("tlogEntries") == []:
        del expected["verificationMaterial"]["tlogEntries"]
    check(json.loads(bundle.to_json()) == expected, name, f"the models read back {bundle.to_json()}")

    # (a) securesystemslib, given only the public key.
    pem = key_path.read_bytes()
    public_key = serialization.load_pem_public_key(pem)
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    keyid = hashlib.sha256(der).hexdigest()
    check(identifier.hint == keyid, name, f"hint {identifier.hint} is not SHA-256 of the key's SPKI {keyid}")
    signature_keyid = envelope.signatures[0].keyid if envelope.signatures else None
    check(signature_keyid == keyid, name, f"signature keyid {signature_keyid} is not {keyid}")
    key = SSlibKey.from_crypto(public_key, keyid=keyid)
    dsse = document["dsseEnvelope"]
    check(verifies(dsse, key), name, f"securesystemslib does not verify the envelope with {key.scheme}")
    tampered = dict(dsse)
    payload = bytearray(base64.b64decode(dsse["payload"]))
    payload[len(payload) // 2] ^= 0x01
    tampered["payload"] = base64.b64encode(bytes(payload)).decode()
    check(not verifies(tampered, key), name, "an envelope with a changed payload verifies")
    impostor = SSlibKey.from_crypto(other_key(public_key), keyid=keyid)
    check(not verifies(dsse, impostor), name, "the envelope verifies with another key")

    # (c) OpenSSL, as docs/archive-format.md shows: the signature over the pre-authentication encoding.
    with tempfile.TemporaryDirectory() as scratch:
        kind = dsse["payloadType"].encode()
        body = base64.b64decode(dsse["payload"])
        pae, sig = Path(scratch, "pae.bin"), Path(scratch, "sig.bin")
        pae.write_bytes(b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body))
        sig.write_bytes(base64.b64decode(dsse["signatures"][0]["sig"]))
        if isinstance(public_key, ed25519.Ed25519PublicKey):
            command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(key_path), "-rawin", "-in", str(pae)]
            command += ["-sigfile", str(sig)]
        else:
            command = ["openssl", "dgst", "-sha256", "-verify", str(key_path), "-signature", str(sig), str(pae)]
        run = subprocess.run(command, capture_output=True, text=True, check=False)
        check(run.returncode == 0, name, f"openssl does not verify the signature: {run.stdout}{run.stderr}")

    # The payload is an in-toto Statement v1 the bundled schemas accept.
    check(dsse["payloadType"] == "application/vnd.in-toto+json", name, f"payload type {dsse['payloadType']}")
    statement = json.loads(base64.b64decode(dsse["payload"]))
    check(statement.get("_type") == STATEMENT_TYPE, name, f"_type {statement.get('_type')}")
    check(statement.get("predicateType") == PREDICATE_TYPE, name, f"predicate type {statement.get('predicateType')}")
    # intoto-statement.json refers to archive-predicate.json for PromptTrail's predicate type.
    validator = Draft202012Validator(SCHEMAS[STATEMENT_SCHEMA], registry=REGISTRY)
    errors = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(statement)]
    check(not errors, name, f"the statement does not fit {STATEMENT_SCHEMA}: {errors}")
    print(f"{name}: {key.scheme} bundle checked (keyid {keyid})")


def main() -> int:
    directory = Path(sys.argv[1])
    bundles = sorted(directory.glob("*.sigstore.json"))
    if not bundles:
        print(f"no *.sigstore.json in {directory}")
        return 1
    for bundle_path in bundles:
        name = bundle_path.name.removesuffix(".sigstore.json")
        try:
            check_bundle(name, bundle_path, directory / f"{name}.pub.pem")
        except Exception as error:  # noqa: BLE001 - any crash is a failure to report
            failures.append(f"{name}: {type(error).__name__}: {error}")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
