// CSS colour parsing for `background`.
#include "images/options/css_color.h"

#include <gtest/gtest.h>

namespace nubis::images {
namespace {

TEST(CssColor, Accepts) {
  struct Case {
    const char* text;
    Rgba rgba;
  };
  const Case cases[] = {
      {"#fff", {255, 255, 255, 255}},
      {"#000", {0, 0, 0, 255}},
      {"#1234", {0x11, 0x22, 0x33, 0x44}},
      {"#A0b1C2", {0xa0, 0xb1, 0xc2, 255}},
      {"#a0b1c2d3", {0xa0, 0xb1, 0xc2, 0xd3}},
      {"black", {0, 0, 0, 255}},
      {"white", {255, 255, 255, 255}},
      {"red", {255, 0, 0, 255}},
      {"lime", {0, 255, 0, 255}},
      {"green", {0, 128, 0, 255}},
      {"navy", {0, 0, 128, 255}},
      {"silver", {192, 192, 192, 255}},
      {"gray", {128, 128, 128, 255}},
      {"grey", {128, 128, 128, 255}},
      {"maroon", {128, 0, 0, 255}},
      {"purple", {128, 0, 128, 255}},
      {"fuchsia", {255, 0, 255, 255}},
      {"olive", {128, 128, 0, 255}},
      {"yellow", {255, 255, 0, 255}},
      {"blue", {0, 0, 255, 255}},
      {"teal", {0, 128, 128, 255}},
      {"aqua", {0, 255, 255, 255}},
      {"transparent", {0, 0, 0, 0}},
      {"TRANSPARENT", {0, 0, 0, 0}},
      {"LightGoldenRodYellow", {0xfa, 0xfa, 0xd2, 255}},
      {"yellowgreen", {0x9a, 0xcd, 0x32, 255}},
      {"aliceblue", {0xf0, 0xf8, 0xff, 255}},
      {"rgb(1,2,3)", {1, 2, 3, 255}},
      {"rgb( 1 , 2 , 3 )", {1, 2, 3, 255}},
      {"RGB(1,2,3)", {1, 2, 3, 255}},
      {"rgba(1,2,3,0)", {1, 2, 3, 0}},
      {"rgba(1,2,3,0.5)", {1, 2, 3, 128}},
      {"rgba(1,2,3,.5)", {1, 2, 3, 128}},
      {"rgb(1,2,3,50%)", {1, 2, 3, 128}},
      {"rgb(100%,0%,50%)", {255, 0, 128, 255}},
      {"rgb(255 255 0)", {255, 255, 0, 255}},
      {"rgb(255 255 0 / 0.25)", {255, 255, 0, 64}},
      {"rgba(0 0 0 / 100%)", {0, 0, 0, 255}},
      {"rgb(12.6,0,0)", {13, 0, 0, 255}},
  };
  for (const Case& c : cases) {
    std::optional<Rgba> got = parseCssColor(c.text);
    ASSERT_TRUE(got.has_value()) << c.text;
    EXPECT_EQ(*got, c.rgba) << c.text;
  }
}

TEST(CssColor, Refuses) {
  const char* cases[] = {
      "",
      "#",
      "#ff",
      "#fffff",
      "#fffffff",
      "#fffffffff",
      "#ggg",
      "fff",
      "redd",
      "re d",
      "rgb()",
      "rgb(1,2)",
      "rgb(1,2,3,4,5)",
      "rgb(256,0,0)",
      "rgb(-1,0,0)",
      "rgb(1,2,3",
      "rgb 1,2,3)",
      "rgb((1,2,3))",
      "rgba(1,2,3,2)",
      "rgb(1,2,3)x",
      "rgb(1 2)",
      "rgb(1 2 3 4)",
      "rgb(101%,0,0)",
      "rgb(1e2,0,0)",
      "rgb(+1,0,0)",
      "hsl(0,0%,0%)",
      "currentcolor",
      "inherit",
      "rgb(1.,2,3)",
      "rgb(1, 2, 3) ",
  };
  for (const char* text : cases) {
    EXPECT_FALSE(parseCssColor(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace nubis::images
