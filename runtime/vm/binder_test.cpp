// binder_test.cpp: request JSON → Facts — layout, unknowns for absent optionals, exact decimals, and an
// error naming the path for every kind of bad input.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "comity/binder.h"
#include "comity/civil.h"
#include "vm_test_program.h"

using namespace comity;
using comity::testing::ProgramBuilder;

namespace {

struct Fixture {
  ProgramBuilder b;
  uint16_t authority = 0, annex = 0, kind = 0, flags = 0, measure = 0, step = 0, offence = 0, root = 0;
  Fixture() {
    authority = b.add_enum("Authority", {"judge", "court", "prosecutor"});
    std::vector<std::string> many;
    for (int i = 0; i < 12; ++i) many.push_back("category_" + std::to_string(i));
    many.push_back("terrorism");
    annex = b.add_enum("AnnexD", many);
    kind = b.add_enum("MeasureKind", {"hearing", "search_seizure", "interception"});
    flags = b.add_enum("Flag", {"urgent", "secret", "provisional"});
    step = b.add_record("Step", {{"at", {Type::date, 0}, false}});
    measure = b.add_record("Measure", {{"kind", {Type::enumeration, kind}, false},
                                       {"coercive", {Type::boolean, 0}, true},
                                       {"steps", {Type::list, step}, true}});
    offence = b.add_record("Offence", {{"annex_d_category", {Type::enumeration, annex}, true},
                                       {"issuing_max_penalty", {Type::duration, 0}, false},
                                       {"fiscal", {Type::boolean, 0}, true}});
    const uint16_t grounds = b.add_record("Grounds", {{"immunity", {Type::boolean, 0}, false}, {"waiver", {Type::boolean, 0}, true}});
    root = b.add_record("Request", {{"executing_state", {Type::string, 0}, false},
                                    {"issuing_authority", {Type::enumeration, authority}, false},
                                    {"received", {Type::datetime, 0}, false},
                                    {"as_of", {Type::date, 0}, true},
                                    {"urgent", {Type::boolean, 0}, false},
                                    {"count", {Type::integer, 0}, true},
                                    {"amount", {Type::decimal, 0}, true},
                                    {"flags", {Type::set, flags}, true},
                                    {"offence", {Type::record, offence}, false},
                                    {"grounds", {Type::record, grounds}, true},
                                    {"measures", {Type::list, measure}, false}});
    b.layout(root);
  }

  nlohmann::json base() const {
    return nlohmann::json::parse(R"({
      "executing_state": "NL", "issuing_authority": "judge", "received": "2025-06-06T10:00:00+02:00",
      "urgent": false,
      "offence": {"issuing_max_penalty": "P3Y", "annex_d_category": "terrorism"},
      "measures": [{"kind": "hearing"}, {"kind": "search_seizure", "coercive": true, "steps": [{"at": "2025-01-02"}]}]
    })");
  }
};

std::string bind_error(Fixture& f, const std::string& json) {
  Binder binder(f.b.p);
  Facts facts;
  const BindResult r = binder.bind(json, facts);
  return r.ok ? std::string("ok") : r.error;
}

std::string with(Fixture& f, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = f.base();
  edit(j);
  return bind_error(f, j.dump());
}

}  // namespace

TEST_CASE("binding lays out facts by the schema", "[binder]") {
  Fixture f;
  Binder binder(f.b.p);
  Facts facts;
  const BindResult r = binder.bind(f.base().dump(), facts);
  INFO(r.error);
  REQUIRE(r.ok);
  const Program& p = f.b.p;
  const auto& slots = facts.slots;
  CHECK(facts.string_at(p, slots[f.b.slot("executing_state")]) == "NL");
  CHECK(slots[f.b.slot("issuing_authority")].tag == Tag::enumeration);
  CHECK(slots[f.b.slot("issuing_authority")].a == 0);
  const Value received = slots[f.b.slot("received")];
  CHECK(format_instant(Instant{received.b, received.a}) == "2025-06-06T10:00:00+02:00");
  CHECK(slots[f.b.slot("urgent")].is_false());
  CHECK(slots[f.b.slot("offence.issuing_max_penalty")].duration_months() == 36);
  CHECK(slots[f.b.slot("offence.annex_d_category")].a == 12);
  // Absent optionals are unknown with their own fact bit.
  CHECK(slots[f.b.slot("as_of")].mask() == uint64_t{1} << f.b.fact_bit("as_of"));
  CHECK(slots[f.b.slot("offence.fiscal")].mask() == uint64_t{1} << f.b.fact_bit("offence.fiscal"));
  // An absent optional record: every leaf is unknown with the record's bit.
  CHECK(slots[f.b.slot("grounds.immunity")].mask() == uint64_t{1} << f.b.fact_bit("grounds"));
  CHECK(slots[f.b.slot("grounds.waiver")].mask() == uint64_t{1} << f.b.fact_bit("grounds"));
  // The list's elements follow the root frame; the nested list follows them.
  const Value list = slots[f.b.slot("measures")];
  REQUIRE(list.tag == Tag::list);
  CHECK(list.a == p.schema.records[f.root].stride);
  CHECK(list.b == 2);
  CHECK(list.aux == p.schema.records[f.measure].stride);
  const int32_t m0 = list.a, m1 = list.a + list.aux;
  CHECK(slots[static_cast<size_t>(m0 + f.b.offset(f.measure, "kind"))].a == 0);
  CHECK(slots[static_cast<size_t>(m0 + f.b.offset(f.measure, "coercive"))].mask() == uint64_t{1} << f.b.fact_bit("measures[].coercive"));
  CHECK(slots[static_cast<size_t>(m0 + f.b.offset(f.measure, "steps"))].mask() == uint64_t{1} << f.b.fact_bit("measures[].steps"));
  CHECK(slots[static_cast<size_t>(m1 + f.b.offset(f.measure, "coercive"))].is_true());
  const Value steps = slots[static_cast<size_t>(m1 + f.b.offset(f.measure, "steps"))];
  REQUIRE(steps.tag == Tag::list);
  CHECK(steps.a == m1 + list.aux);
  CHECK(steps.b == 1);
  CHECK(format_date(slots[static_cast<size_t>(steps.a)].a) == "2025-01-02");
  CHECK(facts.slots.size() == static_cast<size_t>(steps.a + 1));
  CHECK(slot_path(p, facts, steps.a) == "measures[1].steps[0].at");

  // Null means unknown for optional fields, too.
  nlohmann::json j = f.base();
  j["as_of"] = nullptr;
  j["offence"]["fiscal"] = nullptr;
  REQUIRE(binder.bind_from_nlohmann(j, facts).ok);
  CHECK(facts.slots[f.b.slot("offence.fiscal")].is_unknown());
  CHECK(facts.slots[f.b.slot("as_of")].is_unknown());
}

TEST_CASE("decimals, integers and sets bind exactly", "[binder]") {
  Fixture f;
  Binder binder(f.b.p);
  Facts facts;
  auto amount = [&](const std::string& text) -> std::string {
    std::string json = f.base().dump();
    json.insert(json.size() - 1, ",\"amount\":" + text);
    const BindResult r = binder.bind(json, facts);
    if (!r.ok) return r.error;
    return std::to_string(facts.slots[f.b.slot("amount")].b);
  };
  CHECK(amount("0.1") == "100000");
  CHECK(amount("12.345678") == "12345678");
  CHECK(amount("-0.5") == "-500000");
  CHECK(amount("1e-6") == "1");
  CHECK(amount("1.5E2") == "150000000");
  CHECK(amount("123.4560000") == "123456000");
  CHECK(amount("9223372036854.775807") == "9223372036854775807");
  CHECK(amount("1.0000001") == "request.amount: 1.0000001 has more than 6 decimal places");
  CHECK(amount("1e-7") == "request.amount: 1e-7 has more than 6 decimal places");
  CHECK(amount("9223372036855") == "request.amount: 9223372036855 is too large for a decimal (at most 9223372036854.775807)");
  CHECK(amount("\"1.5\"") == "request.amount: expected a number, found \"1.5\"");

  auto count = [&](const std::string& text) -> std::string {
    std::string json = f.base().dump();
    json.insert(json.size() - 1, ",\"count\":" + text);
    const BindResult r = binder.bind(json, facts);
    if (!r.ok) return r.error;
    return std::to_string(facts.slots[f.b.slot("count")].b);
  };
  CHECK(count("-9223372036854775808") == "-9223372036854775808");
  CHECK(count("9223372036854775807") == "9223372036854775807");
  CHECK(count("9223372036854775808") == "request.count: 9223372036854775808 does not fit in a 64-bit integer");
  CHECK(count("99999999999999999999999") == "request.count: 99999999999999999999999 does not fit in a 64-bit integer");
  CHECK(count("1.5") == "request.count: expected an integer, found 1.5");

  nlohmann::json j = f.base();
  j["flags"] = {"secret", "urgent"};
  REQUIRE(binder.bind_from_nlohmann(j, facts).ok);
  CHECK(facts.slots[f.b.slot("flags")].b == 0b011);
  j["flags"] = {"secret", "secret"};
  CHECK(binder.bind_from_nlohmann(j, facts).error == "request.flags[1]: `secret` appears twice");
  j["flags"] = {"secret", 3};
  CHECK(binder.bind_from_nlohmann(j, facts).error == "request.flags[1]: expected a word of `Flag`, found 3");
  j["flags"] = "secret";
  CHECK(binder.bind_from_nlohmann(j, facts).error ==
        "request.flags: expected an array of words, each one of `urgent`, `secret` or `provisional`, found \"secret\"");
}

TEST_CASE("binding errors name the path", "[binder][errors]") {
  Fixture f;
  using J = nlohmann::json;
  CHECK(with(f, [](J& j) { j["offence"]["issuing_max_penalty"] = "3 years"; }) ==
        "request.offence.issuing_max_penalty: expected an ISO 8601 duration such as \"P3Y\", found \"3 years\"");
  CHECK(with(f, [](J& j) { j["offence"]["fiscl"] = true; }) ==
        "request.offence: unknown field \"fiscl\" (did you mean \"fiscal\"?)");
  CHECK(with(f, [](J& j) { j["zzz"] = 1; }) == "request: unknown field \"zzz\"");
  CHECK(with(f, [](J& j) { j["measures"][1]["colour"] = 1; }) == "request.measures[1]: unknown field \"colour\"");
  CHECK(with(f, [](J& j) { j.erase("urgent"); }) == "request.urgent: required field is missing");
  CHECK(with(f, [](J& j) { j["offence"].erase("issuing_max_penalty"); }) ==
        "request.offence.issuing_max_penalty: required field is missing");
  CHECK(with(f, [](J& j) { j["urgent"] = nullptr; }) == "request.urgent: required field is null");
  CHECK(with(f, [](J& j) { j["urgent"] = "yes"; }) == "request.urgent: expected true or false, found \"yes\"");
  CHECK(with(f, [](J& j) { j["executing_state"] = 3; }) == "request.executing_state: expected a string, found 3");
  CHECK(with(f, [](J& j) { j["offence"] = J::array(); }) == "request.offence: expected an object, found an array");
  CHECK(with(f, [](J& j) { j["issuing_authority"] = "judges"; }) ==
        "request.issuing_authority: unknown word \"judges\"; expected one of `judge`, `court` or `prosecutor`");
  CHECK(with(f, [](J& j) { j["offence"]["annex_d_category"] = "terrorismm"; }) ==
        "request.offence.annex_d_category: unknown word \"terrorismm\"; expected one of the 13 words of `AnnexD` "
        "(did you mean `terrorism`?)");
  CHECK(with(f, [](J& j) { j["measures"][0]["kind"] = "wiretap"; }) ==
        "request.measures[0].kind: unknown word \"wiretap\"; expected one of `hearing`, `search_seizure` or `interception`");
  CHECK(with(f, [](J& j) { j["as_of"] = "07/06/2025"; }) == "request.as_of: expected a date such as \"2025-06-07\", found \"07/06/2025\"");
  const std::string feb29 = with(f, [](J& j) { j["as_of"] = "2025-02-29"; });
  CHECK(feb29.rfind("request.as_of: expected a date such as \"2025-06-07\", found \"2025-02-29\" (", 0) == 0);
  CHECK(with(f, [](J& j) { j["received"] = "2025-06-06T10:00:00"; }).rfind(
            "request.received: expected an RFC 3339 instant with offset such as \"2025-06-06T10:00:00+02:00\", found "
            "\"2025-06-06T10:00:00\"", 0) == 0);
  CHECK(with(f, [](J& j) { j["measures"] = J::object(); }) == "request.measures: expected an array of objects, found an object");
  CHECK(with(f, [](J& j) { j["measures"][1] = "hearing"; }) == "request.measures[1]: expected an object, found \"hearing\"");
  CHECK(with(f, [](J& j) { j["measures"][1]["steps"][0]["at"] = "soon"; }) ==
        "request.measures[1].steps[0].at: expected a date such as \"2025-06-07\", found \"soon\"");

  // Malformed JSON, duplicates and a non-object request.
  const std::string ok = f.base().dump();
  CHECK(bind_error(f, "[1,2]") == "request: expected an object");
  CHECK(bind_error(f, ok.substr(0, ok.size() - 1) + ",\"urgent\":true}") == "request.urgent: field appears twice");
  CHECK(bind_error(f, ok + " {}") == "request: unexpected content after the request object");
  CHECK(bind_error(f, "{\"urgent\": tru}").rfind("request", 0) == 0);
  CHECK(bind_error(f, "{\"urgent\": tru}") != "ok");
  CHECK(bind_error(f, ok.substr(0, ok.size() / 2)) != "ok");
}

TEST_CASE("padded buffers bind in place — other buffers are copied", "[binder]") {
  Fixture f;
  Binder binder(f.b.p);
  Facts facts;
  std::string json = f.base().dump();
  json.reserve(json.size() + kJsonPadding);
  REQUIRE(binder.bind_buffer(json.data(), json.size(), json.capacity(), facts).ok);
  CHECK(facts.string_at(f.b.p, facts.slots[f.b.slot("executing_state")]) == "NL");
  REQUIRE(binder.bind_buffer(json.data(), json.size(), json.size(), facts).ok);
  CHECK(facts.string_at(f.b.p, facts.slots[f.b.slot("executing_state")]) == "NL");
}
