if a0 then
  if a1 then
    if a2 then
      if a3 then
        if a4 then
          if a5 then
            if a6 then
              if a7 then
                if a8 then
                  if a9 then
                    if a10 then
                      if a11 then
                        if a12 then
                          if a13 then
                            if a14 then
                              if a15 then
                                if a16 then
                                  if a17 then
                                    if a18 then
                                      if a19 then
                                        if a20 then
                                          if a21 then
                                            if a22 then
                                              if a23 then
                                                if a24 then
                                                  if a25 then
                                                    if a26 then
                                                      if a27 then
                                                        if a28 then
                                                          if a29 then
                                                            if a30 then
                                                              if a31 then
                                                                if a32 then
                                                                  if a33 then
                                                                    if a34 then
                                                                      if a35 then
                                                                        if a36 then
                                                                          if a37 then
                                                                            if a38 then
                                                                              if a39 then
                                                                                x = (((((((((((((((((((((((((((1)))))))))))))))))))))))))))
                                                                              end
                                                                            end
                                                                          end
                                                                        end
                                                                      end
                                                                    end
                                                                  end
                                                                end
                                                              end
                                                            end
                                                          end
                                                        end
                                                      end
                                                    end
                                                  end
                                                end
                                              end
                                            end
                                          end
                                        end
                                      end
                                    end
                                  end
                                end
                              end
                            end
                          end
                        end
                      end
                    end
                  end
                end
              end
            end
          end
        end
      end
    end
  end
end
local f = function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return function() return 1 end end end end end end end end end end end end end end end end end end end end end end end end end end end end end end
local t = {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}
local s = s0 .. s1 .. s2 .. s3 .. s4 .. s5 .. s6 .. s7 .. s8 .. s9 .. s10 .. s11 .. s12 .. s13 .. s14 .. s15 .. s16 .. s17 .. s18 .. s19 .. s20 .. s21 .. s22 .. s23 .. s24 .. s25 .. s26 .. s27 .. s28 .. s29 .. s30 .. s31 .. s32 .. s33 .. s34 .. s35 .. s36 .. s37 .. s38 .. s39 .. s40 .. s41 .. s42 .. s43 .. s44 .. s45 .. s46 .. s47 .. s48 .. s49 .. s50 .. s51 .. s52 .. s53 .. s54 .. s55 .. s56 .. s57 .. s58 .. s59
local p = a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[a[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
