/** Jest runs the TypeScript unit, parity and Node-side tests; browser tests run separately (tests/browser). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/browser/"],
  transform: {
    "^.+\\.tsx?$": [
      "ts-jest",
      {
        tsconfig: {
          module: "commonjs",
          moduleResolution: "node",
          isolatedModules: true,
          jsx: "react-jsx",
          esModuleInterop: true,
        },
      },
    ],
  },
};
