#include "store/sqlite/image_list_query.h"

#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>

namespace nubis::store::sqlite {
namespace {

using MetaFilter = ImageStore::MetaFilter;
using Op = MetaFilter::Op;
using Type = MetaFilter::Type;

bool validName(const std::string& name) {
  if (name.empty() || name.size() > ImageStore::kMaxMetaName) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

ApiError refuse(const std::string& why) {
  return ApiError::internal("image store: listImages: meta filter refused: " + why);
}

Status validate(const MetaFilter& f) {
  if (f.path.empty() || f.path.size() > ImageStore::kMaxMetaDepth) {
    return refuse("depth " + std::to_string(f.path.size()));
  }
  for (const std::string& name : f.path) {
    if (!validName(name)) return refuse("field name is not [A-Za-z0-9_]{1,100}");
  }
  const size_t n = f.values.size();
  if (f.op == Op::kIn ? (n < 1 || n > ImageStore::kMaxInValues) : n != 1) {
    return refuse(std::to_string(n) + " values");
  }
  return Ok{};
}

SqlValue booleanValue(std::string_view text) {
  if (text == "true") return int64_t{1};
  if (text == "false") return int64_t{0};
  return std::monostate{};
}

std::string_view comparison(Op op) {
  switch (op) {
    case Op::kEq:
      return " = ";
    case Op::kGt:
      return " > ";
    case Op::kGte:
      return " >= ";
    case Op::kLt:
      return " < ";
    case Op::kLte:
      return " <= ";
    case Op::kIn:
      break;
  }
  return " IN ";
}

// Builds the SQL while numbering the parameters it binds.
class Builder {
 public:
  // "?N" for a new parameter holding v.
  std::string param(SqlValue v) {
    params_.push_back(std::move(v));
    return "?" + std::to_string(params_.size());
  }

  // (json_type(meta_json, P) <guard> AND json_extract(meta_json, P) <op> <values as type>),
  // where P is the already-bound path parameter. json_type keeps types apart: the string "5"
  // never equals the number 5, and true is not the number 1.
  std::string typed(const std::string& path, Type type, const MetaFilter& f) {
    std::string sql = "(json_type(meta_json, " + path + ")";
    switch (type) {
      case Type::kString:
        sql += " = 'text'";
        break;
      case Type::kBoolean:
        sql += " IN ('true', 'false')";
        break;
      case Type::kNumber:
      case Type::kAny:  // not reached: callers split kAny into the three types
        sql += " IN ('integer', 'real')";
        break;
    }
    sql += " AND json_extract(meta_json, " + path + ")";
    sql += comparison(f.op);
    if (f.op == Op::kIn) sql += "(";
    for (size_t i = 0; i < f.values.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += param(valueAs(type, f.values[i]));
    }
    if (f.op == Op::kIn) sql += ")";
    return sql + ")";
  }

  std::string filter(const MetaFilter& f) {
    const std::string path = param(jsonPath(f.path));
    if (f.op != Op::kEq && f.op != Op::kIn) {
      // Ordering is numeric unless a type says otherwise (gt/gte/lt/lte are "numbers only").
      return typed(path, f.type == Type::kAny ? Type::kNumber : f.type, f);
    }
    if (f.type != Type::kAny) return typed(path, f.type, f);
    // No suffix: whichever JSON type the value can be read as. A value that is not a number
    // binds NULL on the number side, which matches nothing there.
    return "(" + typed(path, Type::kString, f) + " OR " + typed(path, Type::kNumber, f) + " OR " +
           typed(path, Type::kBoolean, f) + ")";
  }

  std::vector<SqlValue> take() { return std::move(params_); }

 private:
  static SqlValue valueAs(Type type, const std::string& text) {
    switch (type) {
      case Type::kString:
        return text;
      case Type::kBoolean:
        return booleanValue(text);
      case Type::kNumber:
      case Type::kAny:
        break;
    }
    return numberValue(text);
  }

  std::vector<SqlValue> params_;
};

}  // namespace

std::string jsonPath(const std::vector<std::string>& names) {
  // Quoted labels, so a name such as "123" is an object key and never an array index.
  std::string path = "$";
  for (const std::string& name : names) path += ".\"" + name + "\"";
  return path;
}

SqlValue numberValue(std::string_view text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  int64_t i = 0;
  auto ir = std::from_chars(begin, end, i);
  if (ir.ec == std::errc() && ir.ptr == end) return i;
  double d = 0;
  auto dr = std::from_chars(begin, end, d);
  // from_chars also reads "inf" and "nan", which are not JSON numbers.
  if (dr.ec == std::errc() && dr.ptr == end && std::isfinite(d)) return d;
  return std::monostate{};
}

Result<ImageListSql> buildImageListSql(const ImageStore::ImageQuery& q, std::string_view columns) {
  if (q.meta.size() > ImageStore::kMaxMetaFilters) {
    return refuse(std::to_string(q.meta.size()) + " filters");
  }
  for (const MetaFilter& f : q.meta) {
    if (Status st = validate(f); !st) return std::move(st).error();
  }
  Builder b;
  std::string sql = "SELECT ";
  sql.append(columns);
  // "draft = 0" is spelled as in the partial indexes images_list / images_creator.
  sql += " FROM images WHERE account_id = " + b.param(q.account_id) + " AND draft = 0";
  if (q.creator) {
    sql += q.creator->empty() ? " AND creator IS NULL" : " AND creator = " + b.param(*q.creator);
  }
  if (q.after_seq) sql += (q.ascending ? " AND seq > " : " AND seq < ") + b.param(*q.after_seq);
  for (const MetaFilter& f : q.meta) sql += " AND " + b.filter(f);
  sql += q.ascending ? " ORDER BY seq ASC" : " ORDER BY seq DESC";
  sql += " LIMIT " + b.param(int64_t{q.limit});
  sql += " OFFSET " + b.param(q.offset > 0 ? q.offset : int64_t{0});
  return ImageListSql{std::move(sql), b.take()};
}

}  // namespace nubis::store::sqlite
