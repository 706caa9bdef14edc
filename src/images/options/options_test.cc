// Flexible-variant grammar (IMAGES.md A.6): accepted segments, refused ones, canonical forms.
#include "images/options/options.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nubis::images {
namespace {

// The canonical text for the defaults with `fields` overridden ("" removes a default), built
// independently of canonical() from the documented field order.
std::string canon(std::vector<std::pair<std::string, std::string>> fields) {
  static const char* kOrder[] = {
      "width",    "height",    "fit",        "gravity",     "quality", "format",
      "dpr",      "anim",      "background", "blur",        "sharpen", "brightness",
      "contrast", "gamma",     "saturation", "rotate",      "flip",    "trim",
      "trim.top", "trim.left", "trim.width", "trim.height", "metadata"};
  std::map<std::string, std::string> values = {
      {"fit", "scale-down"}, {"gravity", "0.5x0.5"}, {"format", "auto"},  {"dpr", "1"},
      {"anim", "true"},      {"blur", "0"},          {"sharpen", "0"},    {"brightness", "1"},
      {"contrast", "1"},     {"gamma", "1"},         {"saturation", "1"}, {"rotate", "0"}};
  for (auto& [k, v] : fields) values[k] = v;
  std::string out;
  for (const char* key : kOrder) {
    auto it = values.find(key);
    if (it == values.end() || it->second.empty()) continue;
    if (!out.empty()) out += ",";
    out += std::string(key) + "=" + it->second;
  }
  return out;
}

TEST(FlexibleOptions, AcceptsCloudflareSyntax) {
  struct Case {
    const char* segment;
    std::string canonical;
  };
  const Case cases[] = {
      {"w=400", canon({{"width", "400"}})},
      {"width=400", canon({{"width", "400"}})},
      {"width=1", canon({{"width", "1"}})},
      {"width=12000", canon({{"width", "12000"}})},
      {"w=0400", canon({{"width", "400"}})},  // leading zeros are still a number
      {"h=300", canon({{"height", "300"}})},
      {"w=400,h=300,fit=cover", canon({{"width", "400"}, {"height", "300"}, {"fit", "cover"}})},
      {"fit=scale-down", canon({})},
      {"fit=contain", canon({{"fit", "contain"}})},
      {"fit=crop", canon({{"fit", "crop"}})},
      {"fit=pad", canon({{"fit", "pad"}})},
      {"fit=squeeze", canon({{"fit", "squeeze"}})},
      {"gravity=auto", canon({{"gravity", "auto"}})},
      {"g=left", canon({{"gravity", "left"}})},
      {"g=right", canon({{"gravity", "right"}})},
      {"g=top", canon({{"gravity", "top"}})},
      {"g=bottom", canon({{"gravity", "bottom"}})},
      {"g=0.5x0.33", canon({{"gravity", "0.5x0.33"}})},
      {"g=0x1", canon({{"gravity", "0x1"}})},
      {"g=1x0", canon({{"gravity", "1x0"}})},
      {"g=0.5x0.5", canon({})},  // the centre is the default
      {"g=0.50x0.500", canon({})},
      {"q=50", canon({{"quality", "50"}})},
      {"quality=1", canon({{"quality", "1"}})},
      {"quality=100", canon({{"quality", "100"}})},
      {"q=high", canon({{"quality", "90"}})},
      {"q=medium-high", canon({{"quality", "80"}})},
      {"q=medium-low", canon({{"quality", "65"}})},
      {"q=low", canon({{"quality", "50"}})},
      {"f=auto", canon({})},
      {"format=avif", canon({{"format", "avif"}})},
      {"f=webp", canon({{"format", "webp"}})},
      {"f=jpeg", canon({{"format", "jpeg"}})},
      {"f=baseline-jpeg", canon({{"format", "baseline-jpeg"}})},
      {"f=png", canon({{"format", "png"}})},
      {"f=json", canon({{"format", "json"}})},
      {"dpr=2", canon({{"dpr", "2"}})},
      {"dpr=1.5", canon({{"dpr", "1.5"}})},
      {"dpr=0.5", canon({{"dpr", "0.5"}})},
      {"dpr=2.0", canon({{"dpr", "2"}})},
      {"anim=false", canon({{"anim", "false"}})},
      {"anim=true", canon({})},
      {"background=%23ff0000", canon({{"background", "#ff0000ff"}})},
      {"background=%23F00", canon({{"background", "#ff0000ff"}})},
      {"background=%2300ff0080", canon({{"background", "#00ff0080"}})},
      {"background=%23abcd", canon({{"background", "#aabbccdd"}})},
      {"background=#123456", canon({{"background", "#123456ff"}})},
      {"background=red", canon({{"background", "#ff0000ff"}})},
      {"background=RebeccaPurple", canon({{"background", "#663399ff"}})},
      {"background=transparent", canon({{"background", "#00000000"}})},
      {"background=rgb(240,40,145)", canon({{"background", "#f02891ff"}})},
      {"background=rgb%28240%2C40%2C145%29", canon({{"background", "#f02891ff"}})},
      {"background=rgba(240,40,145,0)", canon({{"background", "#f0289100"}})},
      {"background=rgb(255%200%200)", canon({{"background", "#ff0000ff"}})},
      {"background=rgb(100%25%200%25%200%25%20/%2050%25)", canon({{"background", "#ff000080"}})},
      {"w=10,background=rgb(1,2,3),h=20",
       canon({{"width", "10"}, {"height", "20"}, {"background", "#010203ff"}})},
      {"blur=0", canon({})},
      {"blur=1", canon({{"blur", "1"}})},
      {"blur=250", canon({{"blur", "250"}})},
      {"blur=12.5", canon({{"blur", "12.5"}})},
      {"sharpen=0", canon({})},
      {"sharpen=3", canon({{"sharpen", "3"}})},
      {"sharpen=10", canon({{"sharpen", "10"}})},
      {"sharpen=0.25", canon({{"sharpen", "0.25"}})},
      {"brightness=0.5", canon({{"brightness", "0.5"}})},
      {"brightness=0", canon({})},  // "0 is ignored"
      {"contrast=2", canon({{"contrast", "2"}})},
      {"contrast=0", canon({})},
      {"gamma=10", canon({{"gamma", "10"}})},
      {"saturation=0", canon({{"saturation", "0"}})},  // greyscale, not ignored
      {"saturation=1.25", canon({{"saturation", "1.25"}})},
      {"rotate=0", canon({})},
      {"rotate=90", canon({{"rotate", "90"}})},
      {"rotate=180", canon({{"rotate", "180"}})},
      {"rotate=270", canon({{"rotate", "270"}})},
      {"flip=h", canon({{"flip", "h"}})},
      {"flip=v", canon({{"flip", "v"}})},
      {"flip=hv", canon({{"flip", "hv"}})},
      {"trim=20;30;20;0", canon({{"trim", "20;30;20;0"}})},
      {"trim=20%3B30%3B20%3B0", canon({{"trim", "20;30;20;0"}})},
      {"trim=0;0;0;0", canon({})},
      {"trim.width=678,trim.height=678,trim.left=30,trim.top=40", canon({{"trim.top", "40"},
                                                                         {"trim.left", "30"},
                                                                         {"trim.width", "678"},
                                                                         {"trim.height", "678"}})},
      {"trim.left=30", canon({{"trim", "0;0;0;30"}})},
      {"trim.width=5", canon({{"trim.top", "0"}, {"trim.left", "0"}, {"trim.width", "5"}})},
      {"metadata=keep", canon({{"metadata", "keep"}})},
      {"metadata=copyright", canon({{"metadata", "copyright"}})},
      {"metadata=none", canon({{"metadata", "none"}})},
      {"w=400,sharpen=3", canon({{"width", "400"}, {"sharpen", "3"}})},
      {"metadata=none,rotate=90,w=5",
       canon({{"width", "5"}, {"rotate", "90"}, {"metadata", "none"}})},
      {"w=%34%30%30", canon({{"width", "400"}})},
  };
  for (const Case& c : cases) {
    ParsedOptions p = parseFlexible(c.segment);
    ASSERT_TRUE(p.options.has_value()) << c.segment << ": " << p.error->message;
    EXPECT_FALSE(p.error.has_value()) << c.segment;
    EXPECT_EQ(p.options->canonical(), c.canonical) << c.segment;
    // The canonical form is itself a segment that parses back to the same options.
    ParsedOptions again = parseFlexible(p.options->canonical());
    ASSERT_TRUE(again.options.has_value()) << p.options->canonical();
    EXPECT_EQ(*again.options, *p.options) << c.segment;
  }
}

TEST(FlexibleOptions, FillsTypedFields) {
  ParsedOptions p = parseFlexible(
      "w=400,h=300,fit=cover,g=0.25x0.75,q=70,f=webp,dpr=2,anim=false,background=%2380808040,"
      "blur=5,sharpen=1,brightness=1.5,contrast=0.5,gamma=2,saturation=0,rotate=270,flip=hv,"
      "trim=1;2;3;4,metadata=keep");
  ASSERT_TRUE(p.options) << p.error->message;
  const TransformOptions& o = *p.options;
  EXPECT_EQ(o.width, 400);
  EXPECT_EQ(o.height, 300);
  EXPECT_EQ(o.fit, Fit::kCover);
  EXPECT_EQ(o.gravity.kind, Gravity::Kind::kPoint);
  EXPECT_DOUBLE_EQ(o.gravity.x, 0.25);
  EXPECT_DOUBLE_EQ(o.gravity.y, 0.75);
  EXPECT_EQ(o.quality, 70);
  EXPECT_EQ(o.format, OutputFormat::kWebp);
  EXPECT_DOUBLE_EQ(o.dpr, 2);
  EXPECT_FALSE(o.anim);
  ASSERT_TRUE(o.background);
  EXPECT_EQ(*o.background, (Rgba{0x80, 0x80, 0x80, 0x40}));
  EXPECT_DOUBLE_EQ(o.blur, 5);
  EXPECT_DOUBLE_EQ(o.sharpen, 1);
  EXPECT_DOUBLE_EQ(o.brightness, 1.5);
  EXPECT_DOUBLE_EQ(o.contrast, 0.5);
  EXPECT_DOUBLE_EQ(o.gamma, 2);
  EXPECT_DOUBLE_EQ(o.saturation, 0);
  EXPECT_EQ(o.rotate, 270);
  EXPECT_TRUE(o.flip_h);
  EXPECT_TRUE(o.flip_v);
  ASSERT_TRUE(o.trim);
  EXPECT_EQ(*o.trim, (Trim{1, 2, 3, 4, std::nullopt, std::nullopt}));
  EXPECT_EQ(o.metadata, MetadataPolicy::kKeep);

  ParsedOptions region = parseFlexible("trim.top=40,trim.left=30,trim.width=678");
  ASSERT_TRUE(region.options);
  EXPECT_EQ(*region.options->trim, (Trim{40, 0, 0, 30, 678, std::nullopt}));

  ParsedOptions side = parseFlexible("g=left");
  ASSERT_TRUE(side.options);
  EXPECT_EQ(side.options->gravity.kind, Gravity::Kind::kLeft);
  ParsedOptions none = parseFlexible("w=1");
  ASSERT_TRUE(none.options);
  EXPECT_FALSE(none.options->quality);
  EXPECT_FALSE(none.options->metadata);
  EXPECT_FALSE(none.options->background);
  EXPECT_FALSE(none.options->trim);
  EXPECT_EQ(none.options->gravity.kind, Gravity::Kind::kCenter);
}

TEST(FlexibleOptions, RefusesWithAMessageNamingTheOption) {
  struct Case {
    const char* segment;
    const char* message_part;
  };
  const Case cases[] = {
      // Cloudflare options that Nubis does not implement: refused by name.
      {"zoom=0.5", "zoom is not supported by Nubis"},
      {"face-zoom=0.5", "face-zoom is not supported by Nubis"},
      {"gravity=face", "gravity=face is not supported by Nubis"},
      {"g=face", "g=face is not supported by Nubis"},
      {"segment=foreground", "segment is not supported by Nubis"},
      {"upscale=generate", "upscale is not supported by Nubis"},
      {"compression=fast", "compression is not supported by Nubis"},
      {"slow-connection-quality=40", "slow-connection-quality is not supported by Nubis"},
      {"scq=40", "scq is not supported by Nubis"},
      {"onerror=redirect", "onerror is not supported by Nubis"},
      {"border=1", "border is not supported by Nubis"},
      {"draw=x", "draw is not supported by Nubis"},
      {"width=auto", "width=auto is not supported by Nubis"},
      {"w=auto", "w=auto is not supported by Nubis"},
      {"fit=aspect-crop", "fit=aspect-crop is not supported by Nubis"},
      {"fit=scale-up", "fit=scale-up is not supported by Nubis"},
      // Unknown names.
      {"foo=1", "unknown option 'foo'"},
      {"Width=10", "unknown option 'Width'"},
      {"w=10,colour=red", "unknown option 'colour'"},
      {"trim.right=4", "unknown option 'trim.right'"},
      // Shape of the list.
      {"", "no options"},
      {"w=10,", "empty option"},
      {",w=10", "empty option"},
      {"w=10,,h=5", "empty option"},
      {"w", "w has no value"},
      {"w=", "w has an empty value"},
      {"=10", "without a name"},
      {"w=10,w=20", "width is given more than once"},
      {"w=10,width=20", "width is given more than once (as w and width)"},
      {"q=10,quality=high", "quality is given more than once"},
      {"trim=1;2;3;4,trim.left=3", "trim.left cannot be combined"},
      {"trim.top=1,trim=1;2;3;4", "trim cannot be combined"},
      {"trim.top=1,trim.top=2", "trim.top is given more than once"},
      // Junk in numbers.
      {"w=10px", "w must be an integer from 1 to 12000"},
      {"w=1e3", "w must be an integer"},
      {"w=+5", "w must be an integer"},
      {"w=-5", "w must be an integer"},
      {"w=0", "w must be an integer"},
      {"w=12001", "w must be an integer"},
      {"w=10.5", "w must be an integer"},
      {"w= 10", "w must be an integer"},
      {"w=0x10", "w must be an integer"},
      {"w=99999999999999999999", "w must be an integer"},
      {"h=NaN", "h must be an integer"},
      {"dpr=inf", "dpr must be a number"},
      {"dpr=nan", "dpr must be a number"},
      {"dpr=0", "dpr must be a number above 0"},
      {"dpr=2.01", "dpr must be"},
      {"dpr=1e0", "dpr must be"},
      {"dpr=.5", "dpr must be"},
      {"dpr=1.", "dpr must be"},
      {"dpr=-1", "dpr must be"},
      {"q=0", "q must be an integer from 1 to 100"},
      {"q=101", "q must be"},
      {"q=HIGH", "q must be"},
      {"q=85%25", "q must be"},
      {"fit=fill", "fit must be one of"},
      {"fit=Cover", "fit must be one of"},
      {"g=center", "g must be auto, left"},
      {"g=0.5", "g must be"},
      {"g=1.1x0.5", "g must be"},
      {"g=0.5x-0.1", "g must be"},
      {"g=0.5X0.5", "g must be"},
      {"g=0.5x0.5x0.5", "g must be"},
      {"f=gif", "f must be one of"},
      {"format=jpg", "format must be one of"},
      {"anim=1", "anim must be true or false"},
      {"anim=TRUE", "anim must be true or false"},
      {"background=%23ff", "background must be a CSS colour"},
      {"background=%23ff000", "background must be a CSS colour"},
      {"background=%23gggggg", "background must be a CSS colour"},
      {"background=notacolour", "background must be a CSS colour"},
      {"background=rgb(256,0,0)", "background must be a CSS colour"},
      {"background=rgb(1,2)", "background must be a CSS colour"},
      {"background=rgba(1,2,3,1.5)", "background must be a CSS colour"},
      {"background=hsl(0,100%25,50%25)", "background must be a CSS colour"},
      {"background=rgb(1,2,3", "background must be a CSS colour"},
      {"background=%2", "background has a malformed %-escape"},
      {"background=%zz", "background has a malformed %-escape"},
      {"blur=0.5", "blur must be 0 (off) or 1 to 250"},
      {"blur=251", "blur must be"},
      {"sharpen=10.5", "sharpen must be a number from 0 to 10"},
      {"brightness=11", "brightness must be a number from 0 to 10"},
      {"contrast=-1", "contrast must be"},
      {"gamma=1e1", "gamma must be"},
      {"saturation=20", "saturation must be"},
      {"rotate=45", "rotate must be 0, 90, 180 or 270"},
      {"rotate=-90", "rotate must be"},
      {"rotate=360", "rotate must be"},
      {"flip=x", "flip must be h, v or hv"},
      {"flip=vh", "flip must be h, v or hv"},
      {"trim=1;2;3", "trim must be top;right;bottom;left"},
      {"trim=1;2;3;4;5", "trim must be"},
      {"trim=1;2;3;-4", "trim must be"},
      {"trim=a;b;c;d", "trim must be"},
      {"trim=1;2;3;12001", "trim must be"},
      {"trim.width=0", "trim.width must be an integer from 1"},
      {"trim.top=-1", "trim.top must be an integer from 0"},
      {"metadata=all", "metadata must be keep, copyright or none"},
      {"w=10 ,h=10", "w must be an integer"},
  };
  for (const Case& c : cases) {
    ParsedOptions p = parseFlexible(c.segment);
    EXPECT_FALSE(p.options.has_value()) << c.segment;
    ASSERT_TRUE(p.error.has_value()) << c.segment;
    EXPECT_NE(p.error->message.find(c.message_part), std::string::npos)
        << c.segment << " -> " << p.error->message;
  }
}

TEST(FlexibleOptions, ErrorEchoesAreMadePrintable) {
  ParsedOptions p = parseFlexible(std::string("a\x01\xff=1", 5));
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->message,
            "unknown option 'a?"
            "?'");  // two bytes made printable
  ParsedOptions long_name = parseFlexible(std::string(100, 'x') + "=1");
  ASSERT_TRUE(long_name.error);
  EXPECT_LT(long_name.error->message.size(), 70u);
  EXPECT_TRUE(parseFlexible(std::string(2049, 'w')).error);
}

TEST(FlexibleOptions, CanonicalIsEqualExactlyWhenTheOptionsAre) {
  const std::pair<const char*, const char*> same[] = {
      {"w=400,h=300", "h=300,w=400"},
      {"width=400", "w=400"},
      {"q=high", "q=90"},
      {"g=0.5x0.5", "fit=scale-down"},
      {"background=red", "background=%23ff0000"},
      {"background=%23f00f", "background=rgba(255,0,0,1)"},
      {"brightness=0", "brightness=1"},
      {"trim=0;0;0;0", "anim=true"},
      {"dpr=1.50", "dpr=1.5"},
      {"trim.left=3,trim.top=2", "trim=2;0;0;3"},
  };
  for (const auto& [a, b] : same) {
    ParsedOptions pa = parseFlexible(a), pb = parseFlexible(b);
    ASSERT_TRUE(pa.options && pb.options) << a << " / " << b;
    EXPECT_EQ(pa.options->canonical(), pb.options->canonical()) << a << " / " << b;
    EXPECT_EQ(*pa.options, *pb.options) << a << " / " << b;
  }
  const std::pair<const char*, const char*> different[] = {
      {"w=400", "h=400"},
      {"w=400", "w=401"},
      {"w=400,dpr=2", "w=800"},  // same pixels, but different requests
      {"fit=cover", "fit=crop"},
      {"g=0.5x0.33", "g=0.5x0.34"},
      {"g=auto", "g=top"},
      {"q=85", "f=auto"},  // explicit 85 vs the encoder default
      {"background=%23ff0000", "background=%23ff0000fe"},
      {"flip=h", "flip=v"},
      {"flip=hv", "rotate=180"},
      {"metadata=copyright", "anim=true"},
      {"trim=1;0;0;0", "trim=0;1;0;0"},
      {"trim.width=5", "trim=0;5;0;0"},
      {"saturation=0", "saturation=1"},
      {"f=jpeg", "f=baseline-jpeg"},
      {"blur=1", "sharpen=1"},
  };
  for (const auto& [a, b] : different) {
    ParsedOptions pa = parseFlexible(a), pb = parseFlexible(b);
    ASSERT_TRUE(pa.options && pb.options) << a << " / " << b;
    EXPECT_NE(pa.options->canonical(), pb.options->canonical()) << a << " / " << b;
    EXPECT_NE(*pa.options, *pb.options) << a << " / " << b;
  }
}

TEST(FlexibleOptions, CanonicalOfDefaultsListsEveryField) {
  TransformOptions o;
  EXPECT_EQ(o.canonical(),
            "fit=scale-down,gravity=0.5x0.5,format=auto,dpr=1,anim=true,blur=0,sharpen=0,"
            "brightness=1,contrast=1,gamma=1,saturation=1,rotate=0");
  o.gravity = Gravity{Gravity::Kind::kPoint, 1.0 / 3, 0.1};
  ParsedOptions back = parseFlexible(o.canonical());
  ASSERT_TRUE(back.options) << o.canonical();
  EXPECT_EQ(back.options->gravity, o.gravity);  // shortest exact decimal: no precision lost
}

TEST(FlexibleOptions, TrimEdgesResolvesTheRegionForm) {
  // trim.left=30,trim.top=40,trim.width=678,trim.height=600 on a 1000x800 source.
  Trim region{40, 0, 0, 30, 678, 600};
  EXPECT_EQ(trimEdges(region, 1000, 800), (Trim{40, 292, 160, 30, std::nullopt, std::nullopt}));
  // Only a width: the bottom edge stays.
  EXPECT_EQ(trimEdges(Trim{0, 0, 0, 10, 50, std::nullopt}, 100, 100), (Trim{0, 40, 0, 10}));
  // A region larger than the source cuts nothing on that side.
  EXPECT_EQ(trimEdges(Trim{0, 0, 0, 10, 5000, 5000}, 100, 100), (Trim{0, 0, 0, 10}));
  // The edge form is already edges.
  EXPECT_EQ(trimEdges(Trim{1, 2, 3, 4}, 100, 100), (Trim{1, 2, 3, 4}));
}

TEST(FlexibleOptions, LooksLikeOptions) {
  EXPECT_TRUE(looksLikeOptions("w=400"));
  EXPECT_TRUE(looksLikeOptions("w=400,h=3"));
  EXPECT_TRUE(looksLikeOptions("="));
  EXPECT_FALSE(looksLikeOptions("public"));
  EXPECT_FALSE(looksLikeOptions("thumbnail-2x"));
  EXPECT_FALSE(looksLikeOptions(""));
}

TEST(FlexibleOptions, NamedVariantVocabulary) {
  const std::pair<const char*, Fit> fits[] = {{"scale-down", Fit::kScaleDown},
                                              {"contain", Fit::kContain},
                                              {"cover", Fit::kCover},
                                              {"crop", Fit::kCrop},
                                              {"pad", Fit::kPad},
                                              {"squeeze", Fit::kSqueeze}};
  for (const auto& [name, fit] : fits) {
    EXPECT_EQ(fitFromName(name), fit) << name;
    EXPECT_EQ(fitName(fit), name);
  }
  EXPECT_FALSE(fitFromName("Cover"));
  EXPECT_FALSE(fitFromName(""));
  const std::pair<const char*, MetadataPolicy> policies[] = {
      {"keep", MetadataPolicy::kKeep},
      {"copyright", MetadataPolicy::kCopyright},
      {"none", MetadataPolicy::kNone}};
  for (const auto& [name, m] : policies) {
    EXPECT_EQ(metadataFromName(name), m) << name;
    EXPECT_EQ(metadataName(m), name);
  }
  EXPECT_FALSE(metadataFromName("all"));
}

}  // namespace
}  // namespace nubis::images
