#!/usr/bin/env python3
"""compare.py - `simsieve decode` against tshark, field by field, frame by frame.

  compare.py corpus DIR --decoder BIN [--known TSV]
      every capture in DIR with a DIR/truth/<capture>.tsv (line 1: the tshark
      command, line 2: tshark field names, then one row per frame)
  compare.py live PCAP --decoder BIN --fieldset map|gsup [--expect JSONL] [--known TSV]
      tshark decodes PCAP now (same options as the corpus truth files), and with
      --expect the generator's ground truth is checked as well

For each file it reports frames compared, fields compared, agreements,
disagreements (frame, field, ours, tshark), and coverage: fields tshark decodes
that we do not.  Exit status 1 if any disagreement is not in the allow-list
(tests/golden/known_differences.tsv), 2 on usage or tool errors.

The field mapping (FIELDS) and every normalisation (normalise()) live in this
file and nowhere else; docs/golden-tests.md explains both.  Python 3 stdlib only.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

# ---------------------------------------------------------------------------
# Field mapping: tshark field -> (kind, [our JSON paths], split)
#   kind   how both sides are normalised before comparing (normalise())
#   paths  dotted paths into one `simsieve decode` JSON object; a value from
#          any of them counts (several when tshark folds several of our fields
#          into one, e.g. e164.msisdn is every ISDN-AddressString of a MAP PDU)
#   split  tshark joins repeated occurrences with ','; split them back unless
#          the value itself may contain commas (free text)
# A tshark field not listed here is "not mapped": reported, never compared.
# ---------------------------------------------------------------------------
NUMBERS = ["msisdn", "msc", "vlr", "sgsn", "hlr", "smsc", "service_centre", "calling", "called"]
FIELDS = {
    # M3UA / MTP3 / SCCP / TCAP
    "m3ua.protocol_data_opc": ("int", ["opc"], True),
    "m3ua.protocol_data_dpc": ("int", ["dpc"], True),
    "mtp3.opc": ("int", ["opc"], True),
    "mtp3.dpc": ("int", ["dpc"], True),
    "sccp.called.digits": ("digits", ["sccp.called.digits"], True),
    "sccp.calling.digits": ("digits", ["sccp.calling.digits"], True),
    "sccp.called.ssn": ("int", ["sccp.called.ssn"], True),
    "sccp.calling.ssn": ("int", ["sccp.calling.ssn"], True),
    "tcap.otid": ("hex", ["tcap.otid"], True),
    "tcap.dtid": ("hex", ["tcap.dtid"], True),
    "tcap.application_context_name": ("str", ["tcap.acn"], True),
    "gsm_map.old.Component": ("component", ["tcap.component"], True),
    "gsm_old.localValue": ("int", ["tcap.opcode"], True),
    "camel.local": ("int", ["tcap.opcode"], True),
    # identities and numbers
    "e212.imsi": ("digits", ["imsi"], True),
    "e164.msisdn": ("digits", NUMBERS, True),
    "gsm_map.ussd_string": ("text", ["ussd"], False),
    "gsm_a.imei": ("digits", ["imei"], True),
    # SMS TPDU
    "gsm_sms.tp-oa": ("digits", ["sms.originator"], True),
    "gsm_sms.tp-da": ("digits", ["sms.destination"], True),
    "gsm_sms.tp-dcs": ("int", ["sms.dcs"], True),
    "gsm_sms.sms_text": ("smstext", ["sms.text"], False),
    "gsm_sms.udh.mm.msg_id": ("int", ["sms.concat.ref"], True),
    "gsm_sms.udh.mm.msg_parts": ("int", ["sms.concat.total"], True),
    "gsm_sms.udh.mm.msg_part": ("int", ["sms.concat.seq"], True),
    # ISUP / BICC
    "isup.message_type": ("isup_type", ["operation"], True),
    "isup.calling": ("digits", ["calling"], True),
    "isup.called": ("digits", ["called"], True),
    "e164.calling_party_number.digits": ("digits", ["calling"], True),
    "e164.called_party_number.digits": ("digits", ["called"], True),
    # 04.08 / 04.11 DTAP (also inside GSMTAP)
    "gsm_a.dtap.msg_mm_type": ("dtap_mm", ["operation"], True),
    "gsm_a.dtap.msg_cc_type": ("dtap_cc", ["operation"], True),
    "gsm_a.dtap.msg_rr_type": ("dtap_rr", ["operation"], True),
    "gsm_a.dtap.msg_sms_type": ("dtap_sms", ["operation"], True),
    "gsm_a.rp.msg_type": ("rp_type", ["operation"], True),
    "gsm_a.dtap.cld_party_bcd_num": ("digits", ["called", "smsc", "service_centre"], True),
    "gsm_a.dtap.clg_party_bcd_num": ("digits", ["calling", "msisdn"], True),
    # Diameter
    "diameter.cmd.code": ("int", ["diameter.command"], True),
    "diameter.flags.request": ("bool", ["diameter.request"], True),
    "diameter.applicationId": ("int", ["diameter.application"], True),
    "diameter.User-Name": ("imsi_if_digits", ["imsi"], True),
    "diameter.Visited-PLMN-Id": ("plmn", ["visited_plmn"], True),
    "diameter.MSISDN": ("tbcd", ["msisdn"], True),
    # SIP
    "sip.Method": ("str", ["operation"], True),
    "sip.Call-ID": ("str", ["sip.call_id"], False),
    "sip.from.addr": ("uri", ["sip.from"], False),
    "sip.from.user": ("uri_user", ["sip.from"], False),
    "sip.to.addr": ("uri", ["sip.to"], False),
    "sip.to.user": ("uri_user", ["sip.to"], False),
    "sip.pai.user": ("uri_user", ["sip.pai"], False),
    # GSUP
    "gsup.msg_type": ("gsup_type", ["operation"], True),
}
# Never compared: the frame key, tshark's own summary columns.
IGNORED = {"frame.number", "_ws.col.Protocol", "_ws.col.Info"}

# Message-type numbers -> names as Wireshark spells them (our decoders use the same spelling).
GSUP_TYPES = {
    0x04: "UpdateLocation Request", 0x05: "UpdateLocation Error", 0x06: "UpdateLocation Result",
    0x08: "SendAuthInfo Request", 0x09: "SendAuthInfo Error", 0x0a: "SendAuthInfo Result",
    0x0b: "AuthFail Report", 0x0c: "PurgeMS Request", 0x0d: "PurgeMS Error", 0x0e: "PurgeMS Result",
    0x10: "InsertSubscriberData Request", 0x11: "InsertSubscriberData Error",
    0x12: "InsertSubscriberData Result", 0x14: "DeleteSubscriberData Request",
    0x15: "DeleteSubscriberData Error", 0x16: "DeleteSubscriberData Result",
    0x1c: "LocationCancel Request", 0x1d: "LocationCancel Error", 0x1e: "LocationCancel Result",
    0x20: "SupplementaryService Request", 0x21: "SupplementaryService Error",
    0x22: "SupplementaryService Result", 0x24: "MO-ForwardSM Request", 0x25: "MO-ForwardSM Error",
    0x26: "MO-ForwardSM Result", 0x28: "MT-ForwardSM Request", 0x29: "MT-ForwardSM Error",
    0x2a: "MT-ForwardSM Result", 0x2c: "ReadyForSM Request", 0x2d: "ReadyForSM Error",
    0x2e: "ReadyForSM Result", 0x30: "CheckIMEI Request", 0x31: "CheckIMEI Error", 0x32: "CheckIMEI Result",
}
ISUP_TYPES = {
    0x01: "IAM", 0x02: "SAM", 0x03: "INR", 0x04: "INF", 0x05: "COT", 0x06: "ACM", 0x07: "CON", 0x08: "FOT",
    0x09: "ANM", 0x0c: "REL", 0x0d: "SUS", 0x0e: "RES", 0x10: "RLC", 0x11: "CCR", 0x12: "RSC", 0x13: "BLO",
    0x14: "UBL", 0x15: "BLA", 0x16: "UBA", 0x17: "GRS", 0x18: "CGB", 0x19: "CGU", 0x1a: "CGBA",
    0x1b: "CGUA", 0x1f: "FAR", 0x20: "FAA", 0x21: "FRJ", 0x24: "LPA", 0x28: "PAM", 0x29: "GRA",
    0x2a: "CQM", 0x2b: "CQR", 0x2c: "CPG", 0x2d: "USR", 0x2e: "UCIC", 0x2f: "CFN", 0x30: "OLM",
    0x31: "CRG", 0x32: "NRM", 0x33: "FAC", 0x36: "IDR", 0x37: "IRS", 0x38: "SGM",
}
DTAP_MM = {0x01: "IMSI Detach Indication", 0x02: "Location Updating Accept", 0x04: "Location Updating Reject",
           0x08: "Location Updating Request", 0x11: "Authentication Reject", 0x12: "Authentication Request",
           0x14: "Authentication Response", 0x18: "Identity Request", 0x19: "Identity Response",
           0x1a: "TMSI Reallocation Command", 0x1b: "TMSI Reallocation Complete", 0x21: "CM Service Accept",
           0x22: "CM Service Reject", 0x23: "CM Service Abort", 0x24: "CM Service Request",
           0x28: "CM Re-establishment Request", 0x29: "Abort", 0x31: "MM Status", 0x32: "MM Information"}
DTAP_CC = {0x01: "Alerting", 0x02: "Call Proceeding", 0x03: "Progress", 0x05: "Setup", 0x07: "Connect",
           0x08: "Call Confirmed", 0x0f: "Connect Acknowledge", 0x25: "Disconnect", 0x2d: "Release",
           0x2a: "Release Complete", 0x3d: "Status", 0x34: "Status Enquiry", 0x10: "User Information"}
DTAP_RR = {0x27: "Paging Response", 0x3f: "Immediate Assignment", 0x35: "Ciphering Mode Command",
           0x32: "Ciphering Mode Complete", 0x0d: "Channel Release", 0x19: "System Information Type 1",
           0x1a: "System Information Type 2", 0x02: "System Information Type 2bis",
           0x03: "System Information Type 2ter", 0x07: "System Information Type 2quater",
           0x1b: "System Information Type 3", 0x1c: "System Information Type 4",
           0x1d: "System Information Type 5", 0x05: "System Information Type 5bis",
           0x06: "System Information Type 5ter", 0x1e: "System Information Type 6",
           0x00: "System Information Type 13", 0x21: "Paging Request Type 1", 0x22: "Paging Request Type 2",
           0x24: "Paging Request Type 3", 0x16: "Classmark Change", 0x34: "GPRS Suspension Request",
           0x15: "Measurement Report", 0x2e: "Assignment Command", 0x29: "Assignment Complete",
           0x2b: "Handover Command", 0x2c: "Handover Complete"}
DTAP_SMS = {0x01: "CP-DATA", 0x04: "CP-ACK", 0x10: "CP-ERROR"}
RP_TYPES = {0x00: "RP-DATA", 0x01: "RP-DATA", 0x02: "RP-ACK", 0x03: "RP-ACK", 0x04: "RP-ERROR",
            0x05: "RP-ERROR", 0x06: "RP-SMMA"}
TYPE_TABLES = {"gsup_type": GSUP_TYPES, "isup_type": ISUP_TYPES, "dtap_mm": DTAP_MM, "dtap_cc": DTAP_CC,
               "dtap_rr": DTAP_RR, "dtap_sms": DTAP_SMS, "rp_type": RP_TYPES}
COMPONENTS = {"1": "invoke", "2": "returnresult", "3": "returnerror", "4": "reject", "7": "returnresult"}


def _int(v):
    v = v.strip()
    return int(v, 16) if v.lower().startswith("0x") else int(v)


def _name(v):
    return re.sub(r"[^0-9a-z]", "", v.lower())


def _uri(v):
    """sip:user@host;params / <tel:+123> / "Name" <sip:x@y> -> user@host (no scheme, no params)."""
    v = v.strip()
    m = re.search(r"<([^>]*)>?", v)
    if m:
        v = m.group(1)
    v = re.sub(r"^(sips?|tel):", "", v, flags=re.I)
    v = v.split(";")[0].split("?")[0]
    return v.lower()


def normalise(kind, v, side):
    """THE one place where representations are made comparable.

    side is "tshark" or "ours".  Returns a hashable value, or None when the value
    carries nothing to compare (e.g. a Diameter User-Name that is not an IMSI).
    """
    v = v.strip() if isinstance(v, str) else v
    if v is None or v == "":
        return None
    if kind == "digits":
        # BCD digits: case-insensitive; a trailing F is the BCD filler / ST
        # end-of-pulsing digit (tshark shows it, e.g. ISUP "4891F"), dropped on both sides
        s = str(v).lower()
        return s[:-1] if s.endswith("f") and len(s) > 1 and not s.isalpha() else s
    if kind == "tbcd":
        # Diameter MSISDN (TS 29.329 6.3.2) is a TBCD OctetString: tshark 4.0 prints the raw
        # octets in hex ("21" = digits "12"), we print the digits
        s = str(v).lower()
        if side == "tshark" and re.fullmatch(r"([0-9a-f]{2})+", s):
            s = "".join(s[i + 1] + s[i] for i in range(0, len(s), 2))
        return s.split("f")[0]
    if kind == "hex":
        # TCAP transaction ids: tshark prints the octets ("06f7"), we print %08x:
        # lower case, no 0x, leading zeros dropped
        s = str(v).lower()
        s = s[2:] if s.startswith("0x") else s
        return s.lstrip("0") or "0"
    if kind == "int":
        try:
            return _int(str(v)) if isinstance(v, str) else int(v)
        except ValueError:
            return str(v)
    if kind == "bool":
        return str(v).lower() in ("1", "true", "yes")
    if kind == "component":
        # tshark's gsm_map.old.Component is numeric (1 invoke, 2 returnResultLast, 3 returnError,
        # 4 reject, 7 returnResultNotLast); ours is a name; returnResult(Last|NotLast) -> returnresult
        if side == "tshark":
            return COMPONENTS.get(str(v), str(v))
        return _name(str(v)).replace("returnresultlast", "returnresult")
    if kind in TYPE_TABLES:
        if side == "tshark":
            try:
                n = _int(str(v))
            except ValueError:
                return _name(str(v))
            return _name(TYPE_TABLES[kind].get(n, "type%d" % n))
        return _name(str(v))
    if kind == "str":
        return str(v)
    if kind == "text":
        # Free text may itself contain the aggregator ',' (tshark joins occurrences
        # with it), so commas are dropped on both sides
        return str(v).replace(",", "")
    if kind == "smstext":
        # After SMS reassembly tshark shows one sms_text occurrence per part on the
        # last part's frame, joined with the aggregator ','; commas are dropped on
        # both sides so the joined parts compare with our reassembled text
        return str(v).replace(",", "")
    if kind == "imsi_if_digits":
        s = str(v)
        return s if s.isdigit() and 6 <= len(s) <= 15 else None
    if kind == "plmn":
        # tshark prints the 3 PLMN octets in hex ("09f107" = MCC 901, MNC 70); we may print
        # MCC+MNC digits ("90170") or the same octets: both become MCC+MNC digits
        s = str(v).lower()
        if re.fullmatch(r"[0-9a-f]{6}", s) and (side == "tshark" or "f" in s):
            d = [s[1], s[0], s[3], s[5], s[4], s[2]]  # MCC1 MCC2 MCC3 MNC1 MNC2 MNC3
            return "".join(c for c in d if c != "f")
        return re.sub(r"[^0-9]", "", s)
    if kind == "uri":
        return _uri(str(v))
    if kind == "uri_user":
        s = _uri(str(v))
        return s.split("@")[0] if side == "ours" else s
    raise ValueError("unknown kind " + kind)


# ---------------------------------------------------------------------------
def get_path(obj, path):
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def load_known(path):
    """known_differences.tsv: file, frame ('*' = any), field, reason; '#' comments."""
    known = {}
    if not path or not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or not cols[3].strip():
                sys.exit("known_differences.tsv: every entry needs file, frame, field and a reason: %r" % line)
            known[(cols[0], cols[1], cols[2])] = cols[3]
    return known


def read_tsv(lines):
    """tshark -T fields -E header=y output -> (header, {frame: row dict})."""
    rows = list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = [r for r in rows if r and not (r[0].startswith("#"))]
    header = rows[0]
    out = {}
    for r in rows[1:]:
        r = r + [""] * (len(header) - len(r))
        d = dict(zip(header, r))
        out.setdefault(int(d["frame.number"]), d)
    return header, out


def run_decoder(decoder, pcap):
    p = subprocess.run([decoder, "decode", pcap], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        raise RuntimeError("%s decode %s: exit %d" % (decoder, pcap, p.returncode))
    frames = {}
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        if line.strip():
            m = json.loads(line)
            frames.setdefault(int(m["frame"]), []).append(m)
    return frames


class Report:
    def __init__(self, name):
        self.name = name
        self.frames = 0
        self.fields = 0
        self.agree = 0
        self.disagree = []  # (frame, field, ours, theirs, allowed_reason)
        self.coverage = {}  # tshark field -> frames where tshark has it and we do not
        self.unmapped = set()
        self.missed_frames = []  # tshark rows for which we emitted nothing
        self.extra_frames = 0  # frames we decode that tshark's display filter left out
        self.partial = 0  # multi-valued: tshark has more values than we print

    def failing(self):
        return [d for d in self.disagree if not d[4]]

    def print(self):
        print("== %s" % self.name)
        print("   frames compared %d, fields compared %d, agreements %d, disagreements %d (%d allowed)" % (
            self.frames, self.fields, self.agree, len(self.disagree), len(self.disagree) - len(self.failing())))
        if self.missed_frames:
            print("   frames tshark decodes and we emit nothing for: %d (first: %s)" % (
                len(self.missed_frames), " ".join(str(f) for f in self.missed_frames[:10])))
        if self.extra_frames:
            print("   frames we decode outside tshark's display filter: %d" % self.extra_frames)
        if self.partial:
            print("   multi-valued fields where tshark lists more values than we decode: %d" % self.partial)
        for fr, field, ours, theirs, why in self.disagree[:60]:
            print("   %s frame %d %s: ours %r %s %r%s" % (
                "ALLOWED" if why else "DISAGREE", fr, field, ours,
                "expected" if field.startswith("expect:") else "tshark", theirs, " (" + why + ")" if why else ""))
        if len(self.disagree) > 60:
            print("   ... %d more disagreements" % (len(self.disagree) - 60))
        if self.coverage:
            print("   coverage gaps (tshark field: frames where tshark has it, we do not): " + ", ".join(
                "%s %d" % (k, v) for k, v in sorted(self.coverage.items())))
        if self.unmapped:
            print("   tshark fields not mapped to our output: " + " ".join(sorted(self.unmapped)))


def compare(name, header, truth, ours, known, report=None):
    rep = report or Report(name)
    for field in header:
        if field not in FIELDS and field not in IGNORED:
            rep.unmapped.add(field)
    rep.extra_frames = len(set(ours) - set(truth))
    for frame in sorted(truth):
        row = truth[frame]
        msgs = ours.get(frame)
        if not msgs:
            if any(row.get(f) for f in header if f in FIELDS):
                rep.missed_frames.append(frame)
            continue
        rep.frames += 1
        for field in header:
            if field not in FIELDS or not row.get(field):
                continue
            kind, paths, split = FIELDS[field]
            raw = row[field].split(",") if split else [row[field]]
            theirs = {x for x in (normalise(kind, r, "tshark") for r in raw) if x is not None}
            if not theirs:
                continue
            mine = set()
            for m in msgs:
                for p in paths:
                    v = get_path(m, p)
                    if v is None or v == "" or isinstance(v, (dict, list)):
                        continue
                    n = normalise(kind, v if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v), "ours")
                    if n is not None:
                        mine.add(n)
            if kind in TYPE_TABLES:
                # our "operation" names one message of one layer; a message-type column of
                # another layer (SCCP DT1 carrying DTAP, CP-DATA vs RP-DATA ...) is not comparable
                # with it: only names from this column's own table are compared
                names = {_name(n) for n in TYPE_TABLES[kind].values()}
                mine = {x for x in mine if x in names}
            if not mine:
                rep.coverage[field] = rep.coverage.get(field, 0) + 1
                continue
            rep.fields += 1
            if kind in ("digits",) and len(paths) > 1:
                # one tshark field spanning several of ours: each of ours must be one of tshark's
                ok = mine <= theirs
            elif split:
                ok = mine <= theirs
            else:
                ok = mine == theirs
            if ok:
                rep.agree += 1
                if theirs - mine:
                    rep.partial += 1
            else:
                why = known.get((name, str(frame), field)) or known.get((name, "*", field))
                rep.disagree.append((frame, field, ",".join(sorted(map(str, mine))),
                                     row[field], why))
    return rep


# ---------------------------------------------------------------------------
# Ground truth from tools/gen_map_trace (PREFIX.expect.jsonl)
EXPECT_SKIP = {"frame", "sms.part_text", "ussd"}


def flatten(obj, prefix=""):
    out = {}
    for k, v in obj.items():
        key = prefix + k
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


def compare_expect(name, expect_path, ours, rep):
    """Every value the generator encoded must come out of our decoder unchanged."""
    with open(expect_path, encoding="utf-8") as f:
        exp = [json.loads(l) for l in f if l.strip()]
    for e in exp:
        frame = e["frame"]
        cands = ours.get(frame, [])
        tid = get_path(e, "tcap.otid") or get_path(e, "tcap.dtid")
        match = [m for m in cands if (get_path(m, "tcap.otid") or get_path(m, "tcap.dtid")) == tid] or cands
        if not match:
            rep.disagree.append((frame, "expect:<message>", "", e.get("operation", ""), None))
            continue
        m = flatten(match[0])
        for k, v in flatten(e).items():
            if k in EXPECT_SKIP:
                continue
            o = m.get(k)
            if k == "service_centre" and o is None:
                o = m.get("smsc")
            if k == "sms.text" or (k == "sms.complete" and False):
                pass
            if o is None:
                rep.coverage["expect:" + k] = rep.coverage.get("expect:" + k, 0) + 1
                continue
            rep.fields += 1
            if k == "tcap.component":
                same = _name(str(o)).replace("returnresultlast", "returnresult") == _name(str(v))
            elif isinstance(v, str) and k in ("tcap.otid", "tcap.dtid"):
                same = normalise("hex", str(o), "ours") == normalise("hex", v, "ours")
            else:
                same = o == v
            if not same and k == "sms.text" and not e["sms"].get("complete"):
                same = o in ("", e["sms"].get("part_text"))
            if same:
                rep.agree += 1
            else:
                rep.disagree.append((frame, "expect:" + k, str(o), str(v), None))
        # a part that does not complete the SMS: our text may be empty or the part's own text
        if "sms" in e and not e["sms"].get("complete") and m.get("sms.text") not in (None, "", e["sms"]["part_text"]):
            rep.disagree.append((frame, "expect:sms.text(part)", m.get("sms.text"), e["sms"]["part_text"], None))
    return rep


# ---------------------------------------------------------------------------
FIELDSETS = {
    "map": ("gsm_map", ["frame.number", "_ws.col.Protocol", "m3ua.protocol_data_opc", "m3ua.protocol_data_dpc",
                        "sccp.called.digits", "sccp.called.ssn", "sccp.calling.digits", "sccp.calling.ssn",
                        "tcap.otid", "tcap.dtid", "tcap.application_context_name", "gsm_map.old.Component",
                        "gsm_old.localValue", "e212.imsi", "e164.msisdn", "gsm_map.ussd_string",
                        "gsm_sms.tp-oa", "gsm_sms.tp-da", "gsm_sms.tp-dcs", "gsm_sms.udh.mm.msg_id",
                        "gsm_sms.udh.mm.msg_parts", "gsm_sms.udh.mm.msg_part", "gsm_sms.sms_text",
                        "_ws.col.Info"]),
    "gsup": ("gsup", ["frame.number", "_ws.col.Protocol", "gsup.msg_type", "e212.imsi", "e164.msisdn",
                      "_ws.col.Info"]),
}


def tshark_live(pcap, fieldset):
    flt, fields = FIELDSETS[fieldset]
    cmd = ["tshark", "-r", pcap, "-Y", flt, "-n", "-T", "fields", "-E", "header=y", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=,", "-E", "quote=n"]
    for f in fields:
        cmd += ["-e", f]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("tshark failed: " + p.stderr.decode("utf-8", "replace"))
    return read_tsv(p.stdout.decode("utf-8", "replace").splitlines())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["corpus", "live"])
    ap.add_argument("path")
    ap.add_argument("--decoder", required=True)
    ap.add_argument("--fieldset", choices=sorted(FIELDSETS), default="map")
    ap.add_argument("--expect")
    ap.add_argument("--name")
    ap.add_argument("--known", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                    "known_differences.tsv"))
    a = ap.parse_args()
    known = load_known(a.known)
    reports = []
    try:
        if a.mode == "corpus":
            tdir = os.path.join(a.path, "truth")
            for tsv in sorted(os.listdir(tdir)):
                if not tsv.endswith(".tsv"):
                    continue
                cap = tsv[:-4]
                with open(os.path.join(tdir, tsv), encoding="utf-8", errors="replace") as f:
                    header, truth = read_tsv(f.read().splitlines())
                try:
                    ours = run_decoder(a.decoder, os.path.join(a.path, cap))
                except RuntimeError as e:
                    r = Report(cap)
                    r.disagree.append((0, "decode", str(e), "", None))
                    reports.append(r)
                    continue
                reports.append(compare(cap, header, truth, ours, known))
        else:
            name = a.name or os.path.basename(a.path)
            header, truth = tshark_live(a.path, a.fieldset)
            ours = run_decoder(a.decoder, a.path)
            rep = compare(name, header, truth, ours, known)
            if a.expect:
                compare_expect(name, a.expect, ours, rep)
            reports.append(rep)
    except RuntimeError as e:
        print("compare.py: %s" % e, file=sys.stderr)
        return 2
    bad = 0
    for r in reports:
        r.print()
        bad += len(r.failing())
    tot = [sum(getattr(r, k) for r in reports) for k in ("frames", "fields", "agree")]
    print("TOTAL: %d files, %d frames, %d fields compared, %d agreements, %d disagreements (%d not allowed)" % (
        len(reports), tot[0], tot[1], tot[2], sum(len(r.disagree) for r in reports), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
